// A real SQLite store in a temp directory, for store, sync and reports tests.
import { join } from 'node:path';
import { openDatabase, type DeskDatabase } from '../../electron/store/db.ts';
import { tempDir } from './temp-dir.ts';

export interface TempStore {
  dir: string;
  path: string;
  store: DeskDatabase;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const { dir, cleanup } = tempDir('desk-store-');
  const path = join(dir, 'desk.sqlite');
  const store = openDatabase(path);
  return {
    dir,
    path,
    store,
    cleanup: () => {
      store.close();
      cleanup();
    },
  };
}
