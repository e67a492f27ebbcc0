// Loads every store and wires main's pushes to them. Returns the teardown that unsubscribes.
import { desk } from '../desk.ts';
import { useEnv } from './env.ts';
import { useOrders } from './orders.ts';
import { useQueue } from './queue.ts';
import { useTeam } from './team.ts';
import { useUi } from './ui.ts';

export function connectDesk(): () => void {
  const api = desk();
  void useEnv.getState().load();
  void useOrders.getState().load();
  void useQueue.getState().load();
  void useTeam.getState().load();
  void api.sync.status({}).then((r) => r.ok && useOrders.getState().setSync(r.value)).catch(() => undefined);
  void api.update.status({}).then((r) => r.ok && useEnv.getState().setUpdate(r.value)).catch(() => undefined);
  const loadStorage = () => void api.storage.status({}).then((r) => r.ok && useEnv.getState().setStorage(r.value)).catch(() => undefined);
  loadStorage();

  // orders:changed carries only numbers; coalesce bursts (a sync touches many) into one reload.
  let pending: ReturnType<typeof setTimeout> | null = null;
  const offs = [
    api.on('orders:changed', () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        void useOrders.getState().load();
      }, 150);
    }),
    api.on('queue:changed', (jobs) => useQueue.getState().setJobs(jobs)),
    api.on('queue:leaseChanged', (lease) => useQueue.getState().setLease(lease)),
    api.on('queue:paceChanged', (pace) => useQueue.getState().setPace(pace)),
    api.on('sync:changed', (s) => useOrders.getState().setSync(s)),
    api.on('env:changed', (info) => {
      useEnv.getState().setInfo(info);
      // Joining or leaving a team, or another environment, restarts the core on another database: ask again.
      void useTeam.getState().load();
      loadStorage();
    }),
    api.on('update:changed', (update) => useEnv.getState().setUpdate(update)),
    api.on('team:changed', (status) => useTeam.getState().setStatus(status)),
    api.on('storage:changed', (storage) => useEnv.getState().setStorage(storage)),
  ];
  return () => {
    if (pending) clearTimeout(pending);
    for (const off of offs) off();
  };
}

/** Test helper: back to a blank slate between tests. */
export function resetStores(): void {
  useEnv.getState().reset();
  useOrders.getState().reset();
  useQueue.getState().reset();
  useTeam.getState().reset();
  useUi.getState().reset();
}
