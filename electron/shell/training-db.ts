// Training mode's simulator is a new world at every launch (new order numbers, new clock), so the
// previous launch's training database would list orders that no longer exist. Start it afresh,
// once per launch; the real environments' databases are never touched.
import { rmSync } from 'node:fs';

export function resetTrainingDatabase(databasePath: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
}
