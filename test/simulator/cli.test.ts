// @vitest-environment node
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../electron/simulator/cli.ts', import.meta.url));

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    stream.on('data', (c: Buffer) => {
      buf += c.toString();
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    stream.on('end', () => reject(new Error(`no line on stdout: ${buf}`)));
  });
}

describe('simulator CLI', () => {
  it('prints exactly one JSON line with --json, serves Atlas, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--seed', '5', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const info = JSON.parse(await firstLine(child.stdout)) as { baseUrl: string; clientId: string; clientSecret: string; controlToken: string };
      expect(Object.keys(info).sort()).toEqual(['baseUrl', 'clientId', 'clientSecret', 'controlToken']);
      const res = await fetch(`${info.baseUrl}/orderList.do`, {
        method: 'POST',
        headers: { 'x-atlas-client-id': info.clientId, 'x-atlas-client-secret': info.clientSecret },
        body: JSON.stringify({ pageSize: 100 }),
      });
      expect(((await res.json()) as { totalRecords: number }).totalRecords).toBe(36);
      // The printed token drives the control routes; without it they refuse.
      const control = (headers: Record<string, string>) => fetch(`${info.baseUrl}/__sim/ledger`, { method: 'POST', headers, body: '[]' });
      expect((await control({ 'x-sim-control-token': info.controlToken })).status).toBe(200);
      expect((await control({})).status).toBe(403);
      const exited = once(child, 'exit');
      process.kill(child.pid!, 'SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    }
  });

  it('exits 2 with a one-line error on bad arguments', async () => {
    const child = spawn(process.execPath, [CLI, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('--port');
  });
});
