// `recover --card` typed by a person: the CLI runs in a real pseudo-terminal (util-linux `script`),
// so the terminal's own echo is in play too. Everything the terminal showed is captured and must
// not contain the card number or the CVV; the simulator's ledger must show one payment.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { CARD, PAN } from '../support/cards.ts';
import { orderA, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/desk-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

let sim: RunningSimulator;
let data: ReturnType<typeof tempDir>;

beforeEach(async () => {
  data = tempDir('desk-cli-tty-');
  sim = await startTestSimulator();
  sim.control.setBalance('USD', 5000);
});

afterEach(async () => {
  await sim.stop();
  data.cleanup();
});

/** Runs the CLI in a pseudo-terminal, answering each prompt as it appears. */
function inTerminal(args: string[], answers: [prompt: string, keys: string][]): Promise<{ code: number | null; screen: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: data.dir,
    ATLAS_ENV: 'sandbox',
    // A local simulator is reached as the agency proxy: the Atlas host rule refuses it as ATLAS_BASE_URL.
    ATLAS_PROXY_URL: sim.baseUrl,
    ATLAS_CLIENT_ID: sim.clientId,
    ATLAS_CLIENT_SECRET: sim.clientSecret,
    DESK_DATA_DIR: join(data.dir, 'desk-data'),
    DESK_STAFF: 'Ana (tty)',
  };
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env, stdio: 'pipe' });
    let screen = '';
    let next = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const answer = answers[next];
      // Type only once the prompt is on screen: as a person would, and after raw mode is on.
      if (answer && screen.endsWith(`${answer[0]}: `)) {
        next++;
        child.stdin.write(answer[1]);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe.runIf(hasScript)('desk CLI at a terminal', () => {
  it('recover --card asks for the card, shows neither the number nor the CVV, and pays once', async () => {
    const a = sim.control.createOrder(orderA({ createdAt: sim.control.now() - 60_000 })).orderNo;
    // Staff know its payment failed (Atlas shows no card charge started on it).
    expect((await inTerminal(['add', a, '--failed'], [])).code).toBe(0);

    const run = await inTerminal(['recover', a, '--card', '--json'], [
      ['Card number (not shown)', `${PAN}\r`],
      ['CVV (not shown)', `${CARD.cardCVV}\r`],
      ['Expiry month (MM)', `${CARD.cardExpireMonth}\r`],
      ['Expiry year (YYYY)', `${CARD.cardExpireYear}\r`],
      ['Holder first name', `${CARD.cardHolderFirstName}\r`],
      ['Holder last name', `${CARD.cardHolderLastName}\r`],
      ['Holder country, 2 letters (optional)', 'SG\r'],
      ['Holder state or province (optional)', '\r'],
      ['Holder city (optional)', 'Singapore\r'],
      ['Holder post code (optional)', '\r'],
      ['Holder street address (optional)', '\r'],
    ]);

    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain('"outcome": "ticketed"');
    expect(run.screen).toContain(CARD.cardHolderFirstName); // typed visible fields do show: the capture is real
    expect(run.screen).not.toContain(PAN.slice(0, 8));
    expect(run.screen).not.toContain(PAN.slice(-8));
    expect(run.screen).not.toMatch(new RegExp(`: ${CARD.cardCVV}\\b`));
    expect(sim.control.paymentsFor(a)).toBe(1);
    expect(sim.control.ledger()).toEqual([expect.objectContaining({ kind: 'pay', orderNo: a, paymentMethod: 3, cardTail: '1111' })]);
  }, 90_000);
});
