// The desk's own database failing while it runs reaches staff as a status and a push (the
// window's banner), also when the failure happens in background work that catches and carries on.
import { DatabaseSync } from 'node:sqlite';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskCore } from '../../electron/core/contract.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { toIpcError } from '../../electron/shell/errors.ts';
import type { StorageStatus } from '../../shared/desk.ts';
import { deskFor } from './desk-support.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

let sim: RunningSimulator;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskCore;
let path: string;

beforeEach(async () => {
  sim = await startTestSimulator();
  tmp = tempDir('desk-storage-');
  path = join(tmp.dir, 'desk.sqlite');
  desk = deskFor(sim, path);
  await desk.start();
});

afterEach(async () => {
  await desk.stop({ timeoutMs: 2000 }).catch(() => {});
  await sim.stop();
  tmp.cleanup();
});

/**
 * Damages every page but the first while the desk has the file open. Another connection's write and
 * checkpoint first, so the desk's connection reads the pages from the file again.
 */
function damageWhileOpen(file: string): void {
  const other = new DatabaseSync(file, { timeout: 5000 });
  other.exec("INSERT INTO meta (key, value) VALUES ('other', 'x') ON CONFLICT (key) DO UPDATE SET value = 'y'");
  other.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  other.close();
  const fd = openSync(file, 'r+');
  const junk = Buffer.alloc(4096, 0x41);
  for (let offset = 4096; offset < statSync(file).size; offset += 4096) writeSync(fd, junk, 0, junk.length, offset);
  closeSync(fd);
}

const nextStorage = (core: DeskCore) =>
  new Promise<StorageStatus>((resolve) => {
    const off = core.on('storage:changed', (status) => {
      off();
      resolve(status);
    });
  });

describe('a database that fails while the desk runs', () => {
  it('is healthy to begin with', async () => {
    expect(await desk.handlers['storage:status']({})).toEqual({ problem: null, since: null });
    expect(await desk.handlers['storage:check']({})).toEqual({ problem: null, since: null });
  });

  it('is reported by the background work that meets it, without any request from the window', async () => {
    sim.control.createOrder(orderA());
    await desk.handlers['orders:sync']({});
    const heard = nextStorage(desk);
    damageWhileOpen(path);
    // The queue's lease renewal (every 5 s) meets the damage; it carries on, and the push says why.
    expect(await heard).toMatchObject({ problem: 'corrupt', since: expect.any(String) });
    expect(await desk.handlers['storage:status']({})).toMatchObject({ problem: 'corrupt' });
  });

  it('fails a request with the storage code, and a check does not clear what is still broken', async () => {
    sim.control.createOrder(orderA());
    await desk.handlers['orders:sync']({});
    const heard: StorageStatus[] = [];
    desk.on('storage:changed', (status) => heard.push(status));
    damageWhileOpen(path);
    const error = await desk.handlers['orders:list']({ scope: 'all' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(toIpcError(error)).toMatchObject({ code: 'storage', message: expect.stringContaining('corrupt') });
    expect(await desk.handlers['storage:status']({})).toMatchObject({ problem: 'corrupt' });
    expect(await desk.handlers['storage:check']({})).toMatchObject({ problem: 'corrupt' });
    // One push for the problem, however many reads and writes fail after it.
    await desk.handlers['orders:list']({ scope: 'all' }).catch(() => {});
    expect(heard.map((s) => s.problem)).toEqual(['corrupt']);
  });
});
