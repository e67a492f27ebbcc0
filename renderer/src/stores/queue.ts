// Recovery jobs; `queue:changed` pushes the whole list. `lease`: whether another desk process on
// the same database runs the queue (`queue:leaseChanged` pushes it).
import { create } from 'zustand';
import type { Job } from '../../../shared/desk.ts';
import type { IpcError, QueueLeaseStatus } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

interface QueueState {
  jobs: Job[];
  error: IpcError | null;
  lease: QueueLeaseStatus | null;
  load(): Promise<void>;
  setJobs(jobs: Job[]): void;
  setLease(lease: QueueLeaseStatus): void;
  /** Merges jobs a request just returned, before the push arrives. */
  upsert(jobs: Job[]): void;
  reset(): void;
}

export const useQueue = create<QueueState>()((set, get) => ({
  jobs: [],
  error: null,
  lease: null,
  async load() {
    const [r, lease] = await Promise.all([call((d) => d.queue.list({})), call((d) => d.queue.lease({}))]);
    if (r.ok) set({ jobs: r.value, error: null });
    else set({ error: r.error });
    if (lease.ok) set({ lease: lease.value });
  },
  setJobs: (jobs) => set({ jobs }),
  setLease: (lease) => set({ lease }),
  upsert(jobs) {
    const byId = new Map(get().jobs.map((j) => [j.id, j]));
    for (const j of jobs) byId.set(j.id, j);
    set({ jobs: [...byId.values()] });
  },
  reset: () => set({ jobs: [], error: null, lease: null }),
}));
