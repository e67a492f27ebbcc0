// Recovery jobs; `queue:changed` pushes the whole list. `lease`: whether another desk process on
// the same database runs the queue (`queue:leaseChanged` pushes it). `pace`: how many jobs may run
// at once right now (`queue:paceChanged` pushes it).
import { create } from 'zustand';
import type { Job } from '../../../shared/desk.ts';
import type { IpcError, QueueLeaseStatus, QueuePace } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

interface QueueState {
  jobs: Job[];
  error: IpcError | null;
  lease: QueueLeaseStatus | null;
  pace: QueuePace | null;
  load(): Promise<void>;
  setJobs(jobs: Job[]): void;
  setLease(lease: QueueLeaseStatus): void;
  setPace(pace: QueuePace): void;
  /** Asks for the pace again (the cap may have changed in Settings since the last push). */
  refreshPace(): Promise<void>;
  /** Merges jobs a request just returned, before the push arrives. */
  upsert(jobs: Job[]): void;
  reset(): void;
}

export const useQueue = create<QueueState>()((set, get) => ({
  jobs: [],
  error: null,
  lease: null,
  pace: null,
  async load() {
    const [r, lease, pace] = await Promise.all([call((d) => d.queue.list({})), call((d) => d.queue.lease({})), call((d) => d.queue.pace({}))]);
    if (r.ok) set({ jobs: r.value, error: null });
    else set({ error: r.error });
    if (lease.ok) set({ lease: lease.value });
    if (pace.ok) set({ pace: pace.value });
  },
  setJobs: (jobs) => set({ jobs }),
  setLease: (lease) => set({ lease }),
  setPace: (pace) => set({ pace }),
  upsert(jobs) {
    const byId = new Map(get().jobs.map((j) => [j.id, j]));
    for (const j of jobs) byId.set(j.id, j);
    set({ jobs: [...byId.values()] });
  },
  async refreshPace() {
    const r = await call((d) => d.queue.pace({}));
    if (r.ok) set({ pace: r.value });
  },
  reset: () => set({ jobs: [], error: null, lease: null, pace: null }),
}));
