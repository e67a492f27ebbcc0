// Lets the shell's own parts follow a settings save at once (the tray's language, the login item)
// without the IPC handlers knowing about them.
import type { Settings } from '../../shared/ipc.ts';
import type { SettingsStore } from './settings.ts';

export interface ObservableSettings extends SettingsStore {
  /** Called after every successful update with the saved settings and the ones before. */
  onSaved(listener: (next: Settings, before: Settings) => void): () => void;
}

export function observableSettings(store: SettingsStore): ObservableSettings {
  const listeners = new Set<(next: Settings, before: Settings) => void>();
  return {
    get: () => store.get(),
    update(patch) {
      const before = store.get();
      const next = store.update(patch);
      for (const listener of listeners) listener(structuredClone(next), before);
      return next;
    },
    recovered: store.recovered,
    path: store.path,
    onSaved(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
