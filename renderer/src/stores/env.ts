// Environment (training / online / credentials), settings, and whether the desk's own database works.
import { create } from 'zustand';
import type { StorageStatus } from '../../../shared/desk.ts';
import type { Environment, EnvironmentInfo, IpcError, Settings, UpdateStatus } from '../../../shared/ipc.ts';
import { call } from '../desk.ts';

interface EnvState {
  info: EnvironmentInfo | null;
  settings: Settings | null;
  error: IpcError | null;
  /** A downloaded app update (the "restart to update" banner). */
  update: UpdateStatus | null;
  /** A problem the desk met with its own database (the storage banner), pushed by `storage:changed`. */
  storage: StorageStatus | null;
  load(): Promise<void>;
  setInfo(info: EnvironmentInfo): void;
  setSettings(settings: Settings): void;
  setUpdate(update: UpdateStatus): void;
  setStorage(storage: StorageStatus): void;
  reset(): void;
}

/**
 * Where cards go, for the card form's check: Training whenever the simulator answers (no
 * credentials yet), else the chosen environment. Not loaded yet counts as Production: the full check.
 */
export function cardEnvironment(info: EnvironmentInfo | null): Environment {
  if (!info) return 'production';
  return info.training ? 'training' : info.environment;
}

export const useEnv = create<EnvState>()((set) => ({
  info: null,
  settings: null,
  error: null,
  update: null,
  storage: null,
  async load() {
    const [info, settings] = await Promise.all([call((d) => d.env.get({})), call((d) => d.settings.get({}))]);
    set({
      info: info.ok ? info.value : null,
      settings: settings.ok ? settings.value : null,
      error: !info.ok ? info.error : !settings.ok ? settings.error : null,
    });
  },
  setInfo: (info) => set({ info }),
  setSettings: (settings) => set({ settings }),
  setUpdate: (update) => set({ update }),
  setStorage: (storage) => set({ storage }),
  reset: () => set({ info: null, settings: null, error: null, update: null, storage: null }),
}));
