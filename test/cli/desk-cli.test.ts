// The headless CLI as agency IT runs it: `node electron/cli/desk-cli.ts` in a child process,
// configured only through the environment, against a real simulator started here (as "sandbox",
// reached through ATLAS_PROXY_URL on 127.0.0.1: the Atlas host rule refuses it as ATLAS_BASE_URL)
// and a temp data directory. Money effects are counted by the simulator's ledger.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../electron/simulator/index.ts';
import { allFileText, deskFor } from '../core/desk-support.ts';
import { CARD, PAN } from '../support/cards.ts';
import { orderA, orderAttempted, orderB, orderUnpaid, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/desk-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let sim: RunningSimulator;
let data: ReturnType<typeof tempDir>;

/** Only what the CLI is meant to read: no ATLAS_* leaking in from the developer's shell. */
function sandboxEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: data.dir,
    ATLAS_ENV: 'sandbox',
    ATLAS_PROXY_URL: sim.baseUrl,
    ATLAS_CLIENT_ID: sim.clientId,
    ATLAS_CLIENT_SECRET: sim.clientSecret,
    DESK_DATA_DIR: join(data.dir, 'desk-data'),
    DESK_STAFF: 'Ana (cli)',
    ...extra,
  };
}

function desk(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: options.env ?? sandboxEnv(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const minuteAgo = () => sim.control.now() - 60_000;

beforeEach(() => {
  data = tempDir('desk-cli-');
});

afterEach(async () => {
  await sim.stop();
  data.cleanup();
});

// Every command is a Node process of its own (seconds each on a busy machine): room for several per test.
describe('desk CLI against the simulator', { timeout: 60_000 }, () => {
  it('sync then failed --json lists every Training case under its scenario, unpaid only on request', async () => {
    // Ticketing held for an hour, so the three in-flight Training orders stay "ticketing".
    sim = await startSimulator({ seed: 7, ticketingDelayMs: 3_600_000 });

    const synced = await desk(['sync']);
    expect(synced).toMatchObject({ code: 0, stderr: '' });
    expect(synced.stdout).toContain('Need staff: 24 (B 8, A 7, attention 6, ticketing 3)');

    const failed = await desk(['failed', '--json']);
    const withUnpaid = await desk(['failed', '--include-unpaid', '--json']);
    const count = (rows: { scenario: string }[]) =>
      rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.scenario]: (acc[r.scenario] ?? 0) + 1 }), {});
    expect(count(JSON.parse(failed.stdout))).toEqual({ A: 7, B: 8, attention: 6, ticketing: 3 });
    const rows = JSON.parse(withUnpaid.stdout) as { orderNo: string; scenario: string; plan: Record<string, unknown> }[];
    expect(count(rows)).toEqual({ A: 7, B: 8, attention: 6, ticketing: 3, unpaid: 8 });
    for (const row of rows) expect(Object.keys(row.plan).sort()).toEqual(['action', 'deadline', 'methods', 'reasons', 'warnings']);
    expect(rows.filter((r) => r.scenario === 'unpaid').every((r) => r.plan.action === 'blocked')).toBe(true);
  });

  it('recover --deposit of a Scenario A order pays that same order once and reports it ticketed', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo(), price: 120, fee: 2 })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);

    const run = await desk(['recover', a, '--deposit', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({
        orderNo: a, outcome: 'ticketed', finalOrderNo: a, reason: null, state: 'done',
        approved: { dueFromDeposit: { amount: 122, currency: 'USD' }, dueFromCard: null },
      }),
    ]);
    expect(sim.control.ledger().map((e) => [e.kind, e.orderNo])).toEqual([['pay', a]]);
  });

  it('recover --deposit prints which orders the balance covers, soonest deadline first, pays those once and leaves the rest', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 300);
    // 122 USD each (fare + fee) against 300 USD: two fit. The one due last is left unpaid.
    const late = sim.control.createOrder(orderA({ createdAt: minuteAgo(), price: 120, fee: 2, holdMinutes: 50 })).orderNo;
    const soon = sim.control.createOrder(orderA({ createdAt: minuteAgo(), price: 120, fee: 2, holdMinutes: 20 })).orderNo;
    const mid = sim.control.createOrder(orderA({ createdAt: minuteAgo(), price: 120, fee: 2, holdMinutes: 35 })).orderNo;
    expect((await desk(['add', late, soon, mid, '--failed'])).code).toBe(0);

    const run = await desk(['recover', late, soon, mid, '--deposit']);

    const lines = run.stdout.split('\n');
    expect(lines).toContain(`deposit USD: balance 300.00 USD; pays 2 order(s), 244.00 USD, 56.00 USD left, soonest deadline first: ${soon}, ${mid}`);
    expect(lines).toContain(`deposit USD: not paid now, the balance does not cover them: ${late} (122.00 USD)`);
    // The plan comes before anything is paid.
    expect(run.stdout.indexOf('deposit USD:')).toBeLessThan(run.stdout.indexOf(`${soon}: approving`));
    expect(run.stdout).toMatch(new RegExp(`${late}.*beyond_deposit_balance`));
    expect(sim.control.ledger().filter((e) => e.kind === 'pay').map((e) => e.orderNo).sort()).toEqual([soon, mid].sort());
    expect(run.code).toBe(1);
  });

  it('while the app works the same database, recover says so once on stderr, the app pays, and recover reports it; a card is refused', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    const b = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);
    // "The app": a desk core in this process on the CLI's sandbox database, holding the queue lease.
    const app = deskFor(sim, join(data.dir, 'desk-data', 'desk-sandbox.sqlite'));
    await app.start();
    try {
      const run = await desk(['recover', a, '--deposit', '--json']);
      expect(run.stderr.trim().split('\n')).toEqual([
        `desk: another desk process (pid ${process.pid} on ${hostname()}) is working this database's queue; it runs these orders and this command waits for the results (Ctrl+C stops waiting; the jobs stay queued for it).`,
      ]);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ orderNo: a, outcome: 'ticketed', state: 'done' })]);
      expect(sim.control.ledger().map((e) => [e.kind, e.orderNo])).toEqual([['pay', a]]);
      expect(sim.control.requests('pay', a)).toHaveLength(1);

      const card = await desk(['recover', b, '--card', '--json'], { stdin: JSON.stringify(CARD) });
      expect(card.stderr).toContain('card details cannot be handed to it, so no card job was queued');
      expect(JSON.parse(card.stdout)).toEqual([expect.objectContaining({ orderNo: b, outcome: 'rejected', reason: 'queue_held_elsewhere' })]);
      expect(sim.control.ledger().filter((e) => e.orderNo !== a)).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('after an unconfirmed payment, recover stops for a human; acknowledge lets the next recover pay once', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);
    sim.control.setFault('pay', { kind: 'reset' }, { times: 1, orderNo: a });

    const stopped = await desk(['recover', a, '--deposit', '--json']);
    expect(stopped.code).toBe(1);
    expect(JSON.parse(stopped.stdout)).toEqual([expect.objectContaining({ orderNo: a, state: 'attention', reason: 'outcome_unknown' })]);
    const refused = await desk(['recover', a, '--deposit', '--json']);
    expect(JSON.parse(refused.stdout)).toEqual([expect.objectContaining({ orderNo: a, outcome: 'rejected' })]);
    expect(sim.control.requests('pay', a)).toHaveLength(1);

    const checked = await desk(['acknowledge', a]);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(checked.stdout).toContain(`${a}: marked as checked`);
    const paid = await desk(['recover', a, '--deposit', '--json']);
    expect(JSON.parse(paid.stdout)).toEqual([expect.objectContaining({ orderNo: a, outcome: 'ticketed' })]);
    expect(sim.control.paymentsFor(a)).toBe(1);

    const again = await desk(['acknowledge', a]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('recover of a Scenario B order regenerates once, then pays the new order once', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const b = sim.control.createOrder(orderB(sim.control.now())).orderNo;
    expect((await desk(['sync'])).code).toBe(0);

    const run = await desk(['recover', b, '--deposit', '--json']);

    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout) as { finalOrderNo: string; outcome: string }[];
    expect(result?.outcome).toBe('ticketed');
    const newNo = result!.finalOrderNo;
    expect(newNo).not.toBe(b);
    expect(sim.control.ledger().map((e) => [e.kind, e.orderNo])).toEqual([
      ['regenerate', newNo],
      ['pay', newNo],
    ]);
    expect(sim.control.ledger()[0]?.originalOrderNo).toBe(b);
    const shown = JSON.parse((await desk(['show', b, '--json'])).stdout) as {
      order: { regeneratedInto: string[] };
      plan: { action: string };
      timeline: { kind: string; actor: string | null; osAccount: string | null }[];
    };
    expect(shown.order.regeneratedInto).toEqual([newNo]);
    expect(shown.plan.action).toBe('no_action');
    expect(shown.timeline.map((e) => e.kind)).toContain('regenerated');
    // Beside the staff name (DESK_STAFF), the OS login that ran the CLI.
    expect(shown.timeline.find((e) => e.kind === 'intent')).toMatchObject({ actor: 'Ana (cli)', osAccount: userInfo().username });
  });

  it('recover --card reads the card from stdin; the PAN and the secret never reach output or the data directory', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);

    const run = await desk(['recover', a, '--card', '--json'], { stdin: JSON.stringify(CARD) });
    const queue = await desk(['queue', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ orderNo: a, outcome: 'ticketed' });
    expect(sim.control.ledger()).toEqual([expect.objectContaining({ kind: 'pay', orderNo: a, paymentMethod: 3, cardTail: '1111' })]);
    expect(JSON.parse(queue.stdout)[0]).toMatchObject({ orderNo: a, cardMask: '411111******1111' });
    const everything = [run.stdout, run.stderr, queue.stdout, queue.stderr, allFileText(data.dir)].join('\n');
    expect(everything).not.toContain(PAN);
    expect(everything).not.toContain(sim.clientSecret);
  });

  it('bad usage, bad configuration and bad card input exit 2 with one line on stderr and touch nothing', async () => {
    sim = await startTestSimulator();
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    const cases: { args: string[]; env?: Record<string, string>; stdin?: string }[] = [
      { args: ['frobnicate'] },
      { args: ['recover', a] },
      { args: ['recover', a, '--deposit', '--card'] },
      { args: ['show', 'not-an-order!'] },
      { args: ['history', '--since', 'yesterday'] },
      { args: ['failed', '--bogus'] },
      { args: ['recover', a, '--card'], stdin: 'not json' },
      { args: ['recover', a, '--card'], stdin: JSON.stringify({ ...CARD, cardNumber: '4111' }) },
      { args: ['failed'], env: sandboxEnv({ ATLAS_ENV: 'staging' }) },
      { args: ['failed'], env: sandboxEnv({ ATLAS_CLIENT_SECRET: '' }) },
      { args: ['failed'], env: sandboxEnv({ ATLAS_ENV: 'production', ATLAS_BASE_URL: sim.baseUrl }) },
      { args: ['sync'], env: sandboxEnv({ ATLAS_CLIENT_SECRET: 'wrong-secret' }) },
      { args: ['recover', a, '--card'], stdin: '' },
      { args: ['recover', a, '--card'], stdin: JSON.stringify({ ...CARD, cardNumber: '4111111111111112' }) }, // fails Luhn
      { args: ['recover', a, '--card'], stdin: JSON.stringify({ ...CARD, cardExpireYear: '2020' }) },
      { args: ['export-history', join(data.dir, 'no-such-folder', 'h.csv')] },
      { args: ['export-history', data.dir] },
      { args: ['export-history', join(data.dir, 'h.csv'), '--separator', 'tab'] },
    ];
    for (const c of cases) {
      const run = await desk(c.args, { ...(c.env ? { env: c.env } : {}), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
      const label = c.args.join(' ');
      expect(run.code, label).toBe(2);
      expect(run.stdout, label).toBe('');
      expect(run.stderr.trimEnd().split('\n'), label).toHaveLength(1);
      expect(run.stderr, label).toMatch(/^desk: /);
      expect(run.stderr, label).not.toMatch(/\n\s+at |4111|wrong-secret/);
    }
    expect(sim.control.requests('pay')).toEqual([]);
  });

  it('refuses a host that is not Atlas (exit 2, one line naming the variable) and sends the secret nowhere', async () => {
    sim = await startTestSimulator();
    const cases: [Record<string, string>, RegExp][] = [
      // The old way to reach a local simulator: now only through ATLAS_PROXY_URL.
      [{ ATLAS_PROXY_URL: '', ATLAS_BASE_URL: sim.baseUrl }, /^desk: ATLAS_BASE_URL must be an https:\/\/ URL$/],
      [{ ATLAS_PROXY_URL: '', ATLAS_BASE_URL: sim.baseUrl.replace('http:', 'https:') }, /^desk: ATLAS_BASE_URL must use the default https port$/],
      [{ ATLAS_BASE_URL: 'https://sandbox.atriptech.com.evil.test' }, /^desk: ATLAS_BASE_URL must be an Atlas host .*set ATLAS_PROXY_URL$/],
      [{ ATLAS_SEARCH_BASE_URL: 'https://atriptech.com@evil.test' }, /^desk: ATLAS_SEARCH_BASE_URL must not contain a user name or password$/],
      [{ ATLAS_PROXY_URL: 'http://gw.agency.example' }, /^desk: ATLAS_PROXY_URL must be https:\/\/, or http:\/\/ only to this machine/],
    ];
    for (const [extra, message] of cases) {
      const run = await desk(['sync'], { env: sandboxEnv(extra) });
      expect(run, JSON.stringify(extra)).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    }
    expect(sim.control.requests()).toEqual([]);
  });

  it('refuses a card number given as an argument without echoing it or sending it to Atlas', async () => {
    sim = await startTestSimulator();
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;

    for (const args of [
      ['recover', a, PAN, '--card'],
      ['recover', a, '4111 1111 1111 1111', '--deposit'],
      ['show', '4111-1111-1111-1111'],
      ['add', PAN, '--failed'],
    ]) {
      const run = await desk(args, { stdin: JSON.stringify(CARD) });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout + run.stderr, args.join(' ')).not.toMatch(/4111.?1111/);
      expect(run.stderr).toMatch(/^desk: an argument looks like a card number/);
    }
    expect(sim.control.requests().map((r) => r.orderNo)).not.toContain(PAN);
  });

  it('recover --card refuses, before any job, a card without the holder address the airline requires', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    // 5J requires country, province, city, postcode and address; CARD has no province.
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo(), airline: '5J' })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);

    const run = await desk(['recover', a, '--card'], { stdin: JSON.stringify(CARD) });

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(`desk: the card lacks cardHolderProvince, required by 5J for ${a}; nothing was done`);
    expect(JSON.parse((await desk(['queue', '--json'])).stdout)).toEqual([]);
    expect(sim.control.requests('pay')).toEqual([]);

    const complete = await desk(['recover', a, '--card', '--json'], { stdin: JSON.stringify({ ...CARD, cardHolderProvince: 'SG' }) });
    expect(complete.code).toBe(0);
    expect(sim.control.paymentsFor(a)).toBe(1);
  });

  it('recover says once on stderr that Atlas is unreachable, leaves the job queued, and the next recover resumes it', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);
    sim.control.setFault('*', { kind: 'reset' });

    const offline = await desk(['recover', a, '--deposit', '--json', '--timeout', '3']);

    expect(offline.code).toBe(1);
    expect(JSON.parse(offline.stdout)).toEqual([expect.objectContaining({ orderNo: a, outcome: 'pending', reason: 'waiting_network' })]);
    expect(offline.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^desk: cannot reach Atlas; ${a} queued`))]);

    sim.control.clearFaults();
    const resumed = await desk(['recover', a, '--deposit', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)[0]).toMatchObject({ orderNo: a, outcome: 'ticketed', jobId: JSON.parse(offline.stdout)[0].jobId });
    expect(sim.control.paymentsFor(a)).toBe(1);
  });

  it('human output shows deadlines in the local time zone and amounts in the currency with its decimals', async () => {
    sim = await startTestSimulator();
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo(), price: 1234.5 })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);

    const shown = await desk(['show', a], { env: sandboxEnv({ TZ: 'Asia/Singapore' }) });
    const json = JSON.parse((await desk(['show', a, '--json'])).stdout) as { order: { details: { tktLimitTime: string } } };

    const sgt = new Date(Date.parse(json.order.details.tktLimitTime) + 8 * 3_600_000).toISOString();
    expect(shown.stdout).toContain(`Deadline   ${sgt.slice(0, 10)} ${sgt.slice(11, 16)} +08:00`);
    expect(shown.stdout).toMatch(/^Price {6}1,234\.50 USD \+ \d+\.\d{2} USD fee$/m);
    expect(shown.stdout).toMatch(/^Methods {4}deposit [\d,]+\.\d{2} USD, card /m);
  });

  it('does not recover unpaid orders in bulk until staff mark them failed', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    const u = sim.control.createOrder(orderUnpaid({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);

    const bulk = await desk(['recover', a, u, '--deposit', '--json']);

    expect(bulk.code).toBe(1);
    expect(JSON.parse(bulk.stdout)).toEqual([
      expect.objectContaining({ orderNo: a, outcome: 'ticketed' }),
      expect.objectContaining({ orderNo: u, outcome: 'rejected', reason: 'not_marked_failed', jobId: null }),
    ]);
    expect(sim.control.paymentsFor(u)).toBe(0);

    expect((await desk(['add', u, '--failed'])).code).toBe(0);
    const marked = await desk(['recover', u, '--deposit', '--json']);
    expect(marked.code).toBe(0);
    expect(JSON.parse(marked.stdout)[0]).toMatchObject({ orderNo: u, outcome: 'ticketed' });
    expect(sim.control.paymentsFor(u)).toBe(1);
  });

  it('export-history writes a UTF-8 CSV with a BOM; history --json lists the same orders', async () => {
    sim = await startTestSimulator();
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a])).code).toBe(0);
    const file = join(data.dir, 'history.csv');

    const run = await desk(['export-history', file]);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFF"last_activity_utc","order_no",')).toBe(true);
    expect(csv).toContain(`"${a}"`);
    const semicolon = join(data.dir, 'history-semicolon.csv');
    expect(await desk(['export-history', semicolon, '--separator', 'semicolon'])).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(semicolon, 'utf8').startsWith('\uFEFF"last_activity_utc";"order_no";')).toBe(true);
    const history = JSON.parse((await desk(['history', '--since', '2000-01-01', '--json'])).stdout) as { orderNo: string }[];
    expect(history.map((h) => h.orderNo)).toEqual([a]);
  });

  it('recover prints what it approves; a re-priced order stops; approve prints old → new and pays once at the new amount', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    // Staff see 150 + 2 = 152 USD; the regenerated order costs 375 + 2 = 377 USD.
    const b = sim.control.createOrder(orderB(sim.control.now(), { price: 150, fee: 2, regenerateFareDelta: 1.5 })).orderNo;

    const stopped = await desk(['recover', b, '--deposit']);

    expect(stopped.code).toBe(1);
    const lines = stopped.stdout.split('\n');
    expect(lines[0]).toBe(`${b}: approving 152.00 USD from the deposit`);
    expect(stopped.stdout).toMatch(new RegExp(`^${b} +not_recovered +TESTA\\d+ +price_changed$`, 'm'));
    expect(stopped.stdout).toContain(`Waiting for a new approval: npm run desk -- approve ${b}`);
    const regenerated = sim.control.ledger().filter((e) => e.kind === 'regenerate');
    expect(regenerated).toHaveLength(1);
    const newNo = regenerated[0]!.orderNo;
    expect(sim.control.paymentsFor(newNo)).toBe(0);

    const approved = await desk(['approve', b]);

    expect(approved.code).toBe(0);
    expect(approved.stdout.split('\n')[0]).toBe(`${b}: 152.00 USD from the deposit → 377.00 USD from the deposit (price_changed, order ${newNo})`);
    expect(approved.stdout).toMatch(new RegExp(`^${b} +377\\.00 USD from the deposit +ticketed +${newNo}`, 'm'));
    expect(sim.control.ledger().filter((e) => e.kind === 'pay')).toEqual([expect.objectContaining({ orderNo: newNo, depositDebit: 377 })]);

    // Nothing waits any more: refused, one result, exit 1.
    const again = await desk(['approve', b, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual([expect.objectContaining({ orderNo: b, outcome: 'rejected', reason: 'not_waiting_approval', approved: null })]);
  });

  it('DESK_PRICE_TOLERANCE_PERCENT lets a job pay a little above what it approved, and no more', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const b = sim.control.createOrder(orderB(sim.control.now(), { price: 100, fee: 0, regenerateFareDelta: 0.02 })).orderNo;

    const run = await desk(['recover', b, '--deposit', '--json'], { env: sandboxEnv({ DESK_PRICE_TOLERANCE_PERCENT: '2' }) });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ outcome: 'ticketed', approved: { dueFromDeposit: { amount: 100, currency: 'USD' } } });
    expect(sim.control.ledger().filter((e) => e.kind === 'pay')).toEqual([expect.objectContaining({ depositDebit: 102 })]);
  });

  it('an order whose card charge Atlas started is refused until confirm-not-charged, then paid once', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderAttempted({ createdAt: minuteAgo() })).orderNo;

    const refused = await desk(['recover', a, '--deposit', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual([expect.objectContaining({ orderNo: a, outcome: 'rejected', reason: 'card_charge_unconfirmed' })]);

    const confirmed = await desk(['confirm-not-charged', a]);
    expect(confirmed).toMatchObject({ code: 0, stderr: '' });
    expect(confirmed.stdout.trim()).toBe(`${a}: recorded that the card charge Atlas started took no money (by Ana (cli)); it may be recovered with deposit or another card.`);
    const shown = JSON.parse((await desk(['show', a, '--json'])).stdout) as { timeline: { kind: string; actor: string }[] };
    expect(shown.timeline.at(-1)).toMatchObject({ kind: 'card_not_charged', actor: 'Ana (cli)' });

    const paid = await desk(['recover', a, '--deposit', '--json']);
    expect(JSON.parse(paid.stdout)[0]).toMatchObject({ orderNo: a, outcome: 'ticketed' });
    expect(sim.control.paymentsFor(a)).toBe(1);

    // Paid now: there is no started charge left to confirm.
    const nothing = await desk(['confirm-not-charged', a]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr.trimEnd().split('\n')).toEqual([`desk: ${a} has no card charge started at the airline to confirm.`]);
  });

  it('a card for an order that already has a queued job is refused, naming that job and its method', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);
    sim.control.setFault('*', { kind: 'reset' });
    const queued = await desk(['recover', a, '--deposit', '--json', '--timeout', '2']);
    const jobId = (JSON.parse(queued.stdout) as { jobId: string }[])[0]!.jobId;

    const card = await desk(['recover', a, '--card', '--timeout', '2'], { stdin: JSON.stringify(CARD) });

    expect(card.code).toBe(1);
    expect(card.stdout).toMatch(new RegExp(`^${a} +rejected +already_queued$`, 'm'));
    expect(card.stdout).toContain(`${a}: ${a} already has job ${jobId} (deposit, waiting_network)`);
    expect(sim.control.requests('pay')).toEqual([]);
  });
});

describe('desk CLI card checks that depend on the environment and the order', () => {
  const SANDBOX_NOT_LUHN = '4916931584764308'; // docs/atlas-api.md §5 test card with a wrong check digit

  it("accepts Atlas's sandbox test cards in sandbox, refuses them in production before connecting", async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo() })).orderNo;
    expect((await desk(['add', a, '--failed'])).code).toBe(0);
    const card = JSON.stringify({ ...CARD, cardNumber: SANDBOX_NOT_LUHN });

    const production = await desk(['recover', a, '--card'], {
      stdin: card,
      env: sandboxEnv({ ATLAS_ENV: 'production', ATLAS_BASE_URL: 'https://api-sg.atriptech.com' }),
    });
    expect(production.code).toBe(2);
    expect(production.stderr.trimEnd()).toBe('desk: card on stdin is invalid: cardNumber (luhn)');

    const sandbox = await desk(['recover', a, '--card', '--json'], { stdin: card });
    expect(sandbox.code).toBe(0);
    expect(sim.control.paymentsFor(a)).toBe(1);
  });

  it('refuses, before any job, a paymentLimit finer than the order card currency', async () => {
    sim = await startTestSimulator();
    sim.control.setBalance('USD', 5000);
    const a = sim.control.createOrder(orderA({ createdAt: minuteAgo(), vendorCurrency: 'USD', vendorPrice: 100 })).orderNo;

    const run = await desk(['recover', a, '--card'], { stdin: JSON.stringify({ ...CARD, paymentLimit: 103.005 }) });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe(`desk: card on stdin: paymentLimit (too_precise) does not fit ${a}, card currency USD; nothing was done`);
    expect(JSON.parse((await desk(['queue', '--json'])).stdout)).toEqual([]);
    expect(sim.control.requests('pay')).toEqual([]);
  });
});
