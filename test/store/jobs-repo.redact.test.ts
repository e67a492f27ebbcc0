// What the store writes comes back as it was, minus card data: the step journal of a regeneration
// keeps its epoch-ms `createdFrom` (the runner reads it back to find the twin after a crash),
// while a PAN under any key or in any text never reaches the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobsRepo } from '../../electron/store/jobs-repo.ts';
import { tempStore, type TempStore } from '../support/temp-store.ts';
import { SANDBOX_VISA as PAN } from '../support/cards.ts';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('step journal on disk', () => {
  it("keeps a regenerate step's createdFrom a number, and drops or masks every PAN", () => {
    const jobs = new JobsRepo(t.store.db);
    const now = '2025-11-30T08:00:00.000Z';
    const approval = { dueFromDeposit: null, dueFromCard: null, at: now, by: 'ann', expiresAt: now };
    jobs.createOrMerge({ id: 'job-1', orderNo: 'TESTA20251130081500123', method: 1, cardMask: null, actor: 'ann', state: 'queued', now, approval });
    const journal = { originalOrderNo: 'TESTA20251130081500123', createdFrom: 1764489600000, preexisting: [] };
    jobs.beginStep('job-1', 'TESTA20251130081500123', 'regenerate', journal, now);
    jobs.beginStep('job-1', 'TESTA20251130081500123', 'pay', { card: { cardNumber: PAN }, asNumber: Number(PAN), note: `pan ${PAN}` }, now);

    const [regenerate, pay] = jobs.steps('job-1');
    expect(regenerate?.request).toEqual(journal);
    expect(typeof regenerate?.request.createdFrom).toBe('number');
    expect(pay?.request).toEqual({ card: {}, asNumber: '453201******0366', note: 'pan 453201******0366' });
    const bytes = readdirSync(t.dir)
      .map((f) => readFileSync(join(t.dir, f)).toString('latin1'))
      .join('');
    expect(bytes).not.toContain(PAN);
  });
});
