// Screen, list view state, selection and which dialog is open. No card data ever lives here.
import { create } from 'zustand';
import { EMPTY_FILTERS, type Filters, type Sort } from '../lib/order-view.ts';

export type Screen = 'orders' | 'queue' | 'history' | 'reports' | 'settings';
export type DialogName = 'add' | 'recover' | 'bulk' | 'approve' | 'shortcuts' | null;

interface UiState {
  screen: Screen;
  filters: Filters;
  sort: Sort;
  selected: ReadonlySet<string>;
  /** Anchor for shift-click range selection. */
  anchor: string | null;
  cursor: number;
  detail: string | null;
  dialog: DialogName;
  /** Order the single-order recover dialog is for. */
  recoverFor: string | null;
  /** Jobs the approve dialog is for (one from an order's panel or a queue row, many from a selection). */
  approveJobs: readonly string[];
  /** Ticks once a second; every countdown reads it so there is one timer, not one per row. */
  now: number;
  setScreen(s: Screen): void;
  setFilters(patch: Partial<Filters>): void;
  setSort(key: Sort['key']): void;
  setSelected(next: ReadonlySet<string>, anchor?: string | null): void;
  setCursor(i: number): void;
  openDetail(orderNo: string | null): void;
  openDialog(d: DialogName, recoverFor?: string | null): void;
  openApprove(jobIds: readonly string[]): void;
  tick(now: number): void;
  reset(): void;
}

const initial = () => ({
  screen: 'orders' as Screen,
  filters: EMPTY_FILTERS,
  sort: { key: 'deadline', dir: 'asc' } as Sort,
  selected: new Set<string>() as ReadonlySet<string>,
  anchor: null,
  cursor: 0,
  detail: null,
  dialog: null as DialogName,
  recoverFor: null,
  approveJobs: [] as readonly string[],
  now: Date.now(),
});

export const useUi = create<UiState>()((set, get) => ({
  ...initial(),
  setScreen: (screen) => set({ screen }),
  setFilters: (patch) => set({ filters: { ...get().filters, ...patch }, cursor: 0 }),
  setSort(key) {
    const s = get().sort;
    set({ sort: { key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' } });
  },
  setSelected: (selected, anchor) => set(anchor === undefined ? { selected } : { selected, anchor }),
  setCursor: (cursor) => set({ cursor }),
  openDetail: (detail) => set({ detail }),
  openDialog: (dialog, recoverFor = null) => set({ dialog, recoverFor }),
  openApprove: (approveJobs) => set({ dialog: 'approve', approveJobs }),
  tick: (now) => set({ now }),
  reset: () => set(initial()),
}));
