// A card number where the window sends an order number (pasted into "Add orders", imported from a
// CSV whose first column is a card, or sent by a page in place of one): it must neither reach
// Atlas — not even as an order number to look up — nor come back in full (docs/money-safety.md
// rule 6), as the CLI already refuses it as an argument. Through the shell's own dispatch (sender
// check → contract → desk core) against the simulator over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { PAN } from '../support/cards.ts';
import { startDeskStack, type DeskStack } from '../support/desk-stack.ts';
import { orderA } from '../support/scenarios.ts';

let stack: DeskStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const grouped = PAN.replace(/(\d{4})(?=\d)/g, '$1 ');
/** Every byte the desk sent to Atlas and wrote to its log, for the PAN in any spelling. */
const leaked = (s: DeskStack, log: readonly string[]) => {
  const text = JSON.stringify(s.sim.control.requests()) + log.join('\n');
  return text.includes(PAN) || text.includes(grouped) || text.includes(PAN.slice(0, 8));
};

describe('a card number given as an order number', () => {
  it('pasted into Add orders is neither looked up in Atlas nor answered in full; the real order beside it is added', async () => {
    const log: string[] = [];
    stack = await startDeskStack({ name: 'card-as-order', orders: [orderA()], log: (line) => log.push(line) });
    const [real] = stack.sim.control.orders().map((o) => o.orderNo);
    const result = await stack.dispatch('orders:add', { orderNos: [PAN, grouped, real], markFailed: true });
    expect(result).toEqual({ ok: true, value: { added: [real], notFound: [], invalid: ['411111******1111', '411111******1111'] } });
    expect([...new Set(stack.sim.control.requests().map((r) => r.orderNo))]).toEqual([real]);
    expect(leaked(stack, log)).toBe(false);
  });

  it.each(['orders:show', 'recovery:plan', 'orders:acknowledge', 'orders:confirmNotCharged'] as const)(
    'is refused by the contract on %s before the desk asks Atlas',
    async (channel) => {
      const log: string[] = [];
      stack = await startDeskStack({ name: 'card-as-order', log: (line) => log.push(line) });
      expect(await stack.dispatch(channel, { orderNo: PAN })).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: `Invalid request for ${channel}: orderNo` },
      });
      expect(stack.sim.control.requests()).toEqual([]);
      expect(leaked(stack, log)).toBe(false);
    },
  );

  it('is refused inside a bulk deposit request, so none of the orders is looked up', async () => {
    stack = await startDeskStack({ name: 'card-as-order', orders: [orderA()] });
    const [real] = stack.sim.control.orders().map((o) => o.orderNo);
    expect(await stack.dispatch('recovery:previewDeposit', { orderNos: [real, PAN] })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(stack.sim.control.requests()).toEqual([]);
  });
});
