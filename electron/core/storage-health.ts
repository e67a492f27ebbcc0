// The desk's own database going bad while it runs (disk full, read-only, damaged, I/O errors, a
// lock held too long) must reach staff, not only the log: every place that catches an error and
// carries on hands it to `note`, which keeps the problem and pushes it (storage:changed) for the
// window's banner. It stays until staff ask for a check (storage:check) and the database passes it.
import type { DatabaseSync } from 'node:sqlite';
import type { StorageProblem, StorageStatus } from '../../shared/desk.ts';
import { probeStorage, storageProblemOf } from '../store/storage-errors.ts';
import type { Clock } from './contract.ts';

export class StorageHealth {
  #status: StorageStatus = { problem: null, since: null };
  readonly #clock: Clock;
  readonly #onChange: (status: StorageStatus) => void;
  readonly #log: (line: string) => void;

  constructor(clock: Clock, onChange: (status: StorageStatus) => void, log: (line: string) => void = () => {}) {
    this.#clock = clock;
    this.#onChange = onChange;
    this.#log = log;
  }

  /** Any caught error: a storage problem is kept and pushed; anything else is left to the caller. */
  note(error: unknown): StorageProblem | null {
    const problem = storageProblemOf(error);
    if (problem !== null) this.#set(problem);
    return problem;
  }

  status(): StorageStatus {
    return this.#status;
  }

  /** Tries the database again (one write, and the integrity check after corruption); clears the problem when it passes. */
  check(db: DatabaseSync): StorageStatus {
    const problem = probeStorage(db, { integrity: this.#status.problem === 'corrupt' });
    if (problem !== null) this.#set(problem);
    else if (this.#status.problem !== null) {
      this.#log(`desk: the database passed a check after ${this.#status.problem}`);
      this.#status = { problem: null, since: null };
      this.#onChange(this.#status);
    }
    return this.#status;
  }

  /** Pushed once per new problem: a full disk fails every write, and the window needs to hear it once. */
  #set(problem: StorageProblem): void {
    if (this.#status.problem === problem) return;
    this.#status = { problem, since: new Date(this.#clock.now()).toISOString() };
    this.#log(`desk: database problem: ${problem}`);
    this.#onChange(this.#status);
  }
}
