// The orders store keeps the newest answer: two reloads in flight (pushes arrive while a slow list
// call is still out) land in the order they were asked, whatever order main answers them in.
import { afterEach, expect, it } from 'vitest';
import type { DeskOrder } from '../../shared/desk.ts';
import type { DeskApi, IpcResult } from '../../shared/ipc.ts';
import { setDesk } from '../../renderer/src/desk.ts';
import { useOrders } from '../../renderer/src/stores/orders.ts';

afterEach(() => {
  setDesk(null);
  useOrders.getState().reset();
});

/** A desk whose `orders.list` answers only when the test says, in any order. */
function deferredDesk() {
  const pending: { scope: string; answer: (orders: DeskOrder[]) => void }[] = [];
  const api = {
    orders: {
      list: ({ scope }: { scope: string }) =>
        new Promise<IpcResult<DeskOrder[]>>((resolve) => pending.push({ scope, answer: (orders) => resolve({ ok: true, value: orders }) })),
    },
  } as unknown as DeskApi;
  return { api, pending };
}

const order = (orderNo: string) => ({ orderNo }) as DeskOrder;

it('an older reload answered last does not overwrite the newer list', async () => {
  const { api, pending } = deferredDesk();
  setDesk(api);
  const older = useOrders.getState().load();
  const newer = useOrders.getState().load();
  expect(pending).toHaveLength(4);
  const [olderFailed, olderUnpaid, newerFailed, newerUnpaid] = pending;
  newerFailed!.answer([order('NEW1')]);
  newerUnpaid!.answer([]);
  await newer;
  expect(useOrders.getState().orders.map((o) => o.orderNo)).toEqual(['NEW1']);
  // The order the newer list no longer has (regenerated meanwhile) must not come back.
  olderFailed!.answer([order('NEW1'), order('GONE')]);
  olderUnpaid!.answer([]);
  await older;
  expect(useOrders.getState().orders.map((o) => o.orderNo)).toEqual(['NEW1']);
});
