// The order lists (failed + unpaid) as main reports them, plus sync progress.
import { create } from 'zustand';
import type { DeskOrder, SyncStatus } from '../../../shared/desk.ts';
import type { IpcError } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

interface OrdersState {
  orders: DeskOrder[];
  loaded: boolean;
  error: IpcError | null;
  sync: SyncStatus | null;
  syncError: IpcError | null;
  load(): Promise<void>;
  syncNow(): Promise<void>;
  setSync(status: SyncStatus): void;
  reset(): void;
}

/** Bumped by every load and reset: only the newest load's answer lands (an older, slower one never overwrites it). */
let generation = 0;

export const useOrders = create<OrdersState>()((set) => ({
  orders: [],
  loaded: false,
  error: null,
  sync: null,
  syncError: null,
  async load() {
    const mine = ++generation;
    const [failed, unpaid] = await Promise.all([
      call((d) => d.orders.list({ scope: 'failed' })),
      call((d) => d.orders.list({ scope: 'unpaid' })),
    ]);
    if (mine !== generation) return;
    if (!failed.ok || !unpaid.ok) {
      // Keep showing what we had: a failed refresh must not blank the list.
      set({ error: !failed.ok ? failed.error : !unpaid.ok ? unpaid.error : null, loaded: true });
      return;
    }
    const byNo = new Map<string, DeskOrder>();
    for (const o of [...failed.value, ...unpaid.value]) byNo.set(o.orderNo, o);
    set({ orders: [...byNo.values()], loaded: true, error: null });
  },
  async syncNow() {
    set({ syncError: null });
    const r = await call((d) => d.orders.sync({}));
    if (r.ok) set({ sync: r.value });
    else set({ syncError: r.error });
  },
  setSync: (sync) => set({ sync }),
  reset: () => {
    generation += 1;
    set({ orders: [], loaded: false, error: null, sync: null, syncError: null });
  },
}));
