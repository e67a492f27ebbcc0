// With nothing configured the CLI runs in Training mode against its embedded simulator, replaying
// the same world on every run (so an order number from `failed` can be used in the next command),
// and `desk simulator` hands over to the simulator's own CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/desk-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let data: ReturnType<typeof tempDir>;
beforeEach(() => {
  data = tempDir('desk-cli-training-');
});
afterEach(() => data.cleanup());

function trainingEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: data.dir, DESK_DATA_DIR: join(data.dir, 'desk-data') };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: trainingEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('desk CLI in Training mode', { timeout: 60_000 }, () => {
  it('needs no configuration, lists the Training orders, and shows the same order numbers on the next run', async () => {
    const first = await run(['failed', '--include-unpaid', '--json']);
    const second = await run(['failed', '--include-unpaid', '--json']);

    expect(first).toMatchObject({ code: 0, stderr: '' });
    const rows = JSON.parse(first.stdout) as { orderNo: string; scenario: string }[];
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set(['A', 'B', 'attention', 'ticketing', 'unpaid']));
    expect((JSON.parse(second.stdout) as { orderNo: string }[]).map((r) => r.orderNo)).toEqual(rows.map((r) => r.orderNo));
    // Its own database file, rebuilt each run, never the app's desk-training.sqlite.
    expect(existsSync(join(data.dir, 'desk-data', 'cli-training.sqlite'))).toBe(true);
    expect(existsSync(join(data.dir, 'desk-data', 'desk-training.sqlite'))).toBe(false);
  });

  it('an order marked failed by `add --failed` can be recovered by the next run, as the README documents', async () => {
    const rows = JSON.parse((await run(['failed', '--include-unpaid', '--json'])).stdout) as { orderNo: string; scenario: string }[];
    const unpaid = rows.find((r) => r.scenario === 'unpaid')?.orderNo as string;

    const refused = await run(['recover', unpaid, '--deposit', '--json']);
    const marked = await run(['add', unpaid, '--failed']);
    const recovered = await run(['recover', unpaid, '--deposit', '--json']);

    expect(JSON.parse(refused.stdout)[0]).toMatchObject({ outcome: 'rejected', reason: 'not_marked_failed' });
    expect(marked.code).toBe(0);
    expect(recovered).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(recovered.stdout)[0]).toMatchObject({ orderNo: unpaid, outcome: 'ticketed' });
    // Only the mark is carried over: every other unpaid order still needs one.
    const after = JSON.parse((await run(['failed', '--include-unpaid', '--json'])).stdout) as { orderNo: string; markedFailed: boolean }[];
    expect(after.filter((r) => r.markedFailed).map((r) => r.orderNo)).toEqual([unpaid]);
  });

  it('`confirm-not-charged` is kept for the next run too, so an order whose card charge Atlas started can be recovered', async () => {
    type Row = { orderNo: string; scenario: string; currency: string; plan: { action: string; warnings: string[] } };
    const rows = JSON.parse((await run(['failed', '--json'])).stdout) as Row[];
    // Payable now, a card charge started, in a currency whose Training deposit can pay it.
    const attempted = rows.find((r) => r.plan.action === 'pay_same_order' && r.plan.warnings.includes('payment_attempted') && r.currency !== 'EUR')?.orderNo as string;
    expect(attempted).toBeDefined();

    const refused = await run(['recover', attempted, '--deposit', '--json']);
    const confirmed = await run(['confirm-not-charged', attempted]);
    const recovered = await run(['recover', attempted, '--deposit', '--json']);

    expect(JSON.parse(refused.stdout)[0]).toMatchObject({ outcome: 'rejected', reason: 'card_charge_unconfirmed' });
    expect(confirmed.code).toBe(0);
    expect(recovered).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(recovered.stdout)[0]).toMatchObject({ orderNo: attempted, outcome: 'ticketed' });
  });

  it('`simulator --json` starts the standalone simulator and prints its address', async () => {
    const child = spawn(process.execPath, [CLI, 'simulator', '--json', '--scenario', 'empty'], { cwd: ROOT, env: trainingEnv() });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        child.on('error', reject);
        child.on('close', (code) => reject(new Error(`simulator exited with ${code}`)));
      });
      const info = JSON.parse(line) as { baseUrl: string; clientId: string };
      expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${info.baseUrl}/balance.do`, { method: 'POST', body: '{}' });
      expect(res.status).toBeLessThan(500);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
