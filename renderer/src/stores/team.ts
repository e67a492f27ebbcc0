// Team mode: the team database's state and other desks' holds; `team:changed` pushes it whole.
import { create } from 'zustand';
import type { TeamStatus } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

interface TeamState {
  status: TeamStatus | null;
  load(): Promise<void>;
  setStatus(status: TeamStatus): void;
  reset(): void;
}

export const useTeam = create<TeamState>()((set) => ({
  status: null,
  async load() {
    const r = await call((d) => d.team.status({}));
    if (r.ok) set({ status: r.value });
  },
  setStatus: (status) => set({ status }),
  reset: () => set({ status: null }),
}));
