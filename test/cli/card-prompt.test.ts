// `recover --card` at a terminal: each field is asked for, the card number and CVV are never
// echoed, and the answers are checked like piped JSON. Terminal streams are injected here; the
// real pseudo-terminal run is in desk-cli-tty.test.ts.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptCard } from '../../electron/cli/card-prompt.ts';
import { UsageError } from '../../electron/cli/errors.ts';
import { PAN } from '../support/cards.ts';

const NOW = '2026-11-26T08:00:00.000Z';

function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  Object.assign(input, { setRawMode: (raw: boolean) => input.rawModes.push(raw) });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
  /** Types `text` once the screen shows `prompt` (as a person would). */
  const typeAfter = async (prompt: string, text: string) => {
    while (!shown.endsWith(`${prompt}: `)) await new Promise((r) => setImmediate(r));
    input.write(text);
  };
  return { io: { input, output }, input, shown: () => shown, typeAfter };
}

describe('promptCard', () => {
  it('asks for every field, echoes neither the number nor the CVV, and returns the checked card', async () => {
    const t = terminal();
    const card = promptCard(t.io, 'production', NOW);
    await t.typeAfter('Card number (not shown)', '4111 1111 1111 1111\r');
    await t.typeAfter('CVV (not shown)', '737\r');
    await t.typeAfter('Expiry month (MM)', '7\r');
    await t.typeAfter('Expiry year (YYYY)', '2031\r');
    await t.typeAfter('Holder first name', 'Mei\r');
    await t.typeAfter('Holder last name', 'Tan\r');
    await t.typeAfter('Holder country, 2 letters (optional)', 'sg\r');
    await t.typeAfter('Holder state or province (optional)', '\r');
    await t.typeAfter('Holder city (optional)', 'Singapore\r');
    await t.typeAfter('Holder post code (optional)', '\r');
    await t.typeAfter('Holder street address (optional)', '\r');
    expect(await card).toEqual({
      cardNumber: PAN,
      cardCVV: '737',
      cardExpireMonth: '07',
      cardExpireYear: '2031',
      cardHolderFirstName: 'Mei',
      cardHolderLastName: 'Tan',
      cardHolderCountry: 'SG',
      cardHolderCity: 'Singapore',
    });
    const screen = t.shown();
    expect(screen).not.toContain('4111');
    expect(screen).not.toContain('737');
    expect(screen).toContain('Mei'); // visible fields are echoed: the check above is real
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('takes a pasted block of answers and handles backspace without showing hidden input', async () => {
    const t = terminal();
    const card = promptCard(t.io, 'production', NOW);
    t.input.write(`${PAN}9\u007f\r\n737\r12\r2031\rMei\rTx\u007fan\r\r\r\r\r\r`);
    expect(await card).toMatchObject({ cardNumber: PAN, cardCVV: '737', cardHolderLastName: 'Tan' });
    expect(t.shown()).not.toMatch(/4111|737|\*/);
    expect(t.shown()).toContain('Tx\b \ban');
  });

  it('refuses a bad card like piped JSON does, naming fields and never values', async () => {
    const t = terminal();
    const card = promptCard(t.io, 'production', NOW);
    t.input.write('4111111111111112\r73\r13\r2020\rMei\rTan\r\r\r\r\r\r');
    const error = await card.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^card is invalid: .*cardCVV.*cardExpireMonth/);
    expect((error as Error).message).not.toContain('4111');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('cancels on Ctrl+C and on end of input, leaving the terminal as it was', async () => {
    for (const keys of [`${PAN}\r73\u0003`, '41']) {
      const t = terminal();
      const card = promptCard(t.io, 'production', NOW);
      t.input.write(keys);
      if (keys === '41') t.input.end();
      await expect(card).rejects.toThrow('card entry cancelled; nothing was done');
      expect(t.input.rawModes).toEqual([true, false]);
    }
  });
});
