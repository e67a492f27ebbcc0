// ChainClaims on the team database (see electron/core/chain-claims.ts for the contract and
// team-migrations.ts for the SQL). Leases are judged by the database's clock; the fencing token of
// the last acquire is sent with every proof, so a desk that slept past its lease (and lost the
// chain to another desk meanwhile) is refused at the proof and never sends.
//
// Residual risk, accepted and documented (README "Team mode"): between a successful proof and the
// HTTP request leaving this process there is no database round trip; a desk frozen exactly there
// for longer than the lease could still send. Atlas's own refusals (402/404 for a second pay.do,
// 318 while a regenerated twin is live) and the runner's look-alike guard are the backstop.
import type { LinksRepo } from '../store/links-repo.ts';
import type { ChainClaims, ClaimAnswer } from '../core/chain-claims.ts';
import { TeamUnavailable } from '../core/chain-claims.ts';
import type { TeamDb } from './team-db.ts';

export interface TeamClaimsDeps {
  db: TeamDb;
  deskId: string;
  staff: () => string;
  links: LinksRepo;
  /** Lease length (default 30 s); renewed every third of it while the job lives. */
  ttlMs?: number;
  /** How soon a job waiting for another desk's chain asks again (default 5 s). */
  retryMs?: number;
  now?: () => string;
  log?: (line: string) => void;
}

interface Held {
  root: string;
  token: string;
}

interface ClaimRow {
  held: boolean;
  token: string;
  chain_root: string;
  holder_desk: string | null;
  holder_staff: string | null;
  links: { o: string; n: string }[];
  needs_staff: boolean;
}

export class TeamClaims implements ChainClaims {
  readonly #d: TeamClaimsDeps;
  readonly #held = new Map<string, Held>();
  readonly #ttlMs: number;
  #renewal: ReturnType<typeof setInterval> | null = null;

  constructor(deps: TeamClaimsDeps) {
    this.#d = deps;
    this.#ttlMs = deps.ttlMs ?? 30_000;
  }

  /** Local original → new links along the ancestors of these orders, for the team to learn. */
  #localLinks(orderNos: string[]): { o: string; n: string }[] {
    const out: { o: string; n: string }[] = [];
    for (const orderNo of new Set(orderNos)) {
      let child = orderNo;
      for (const parent of this.#d.links.ancestors(orderNo)) {
        out.push({ o: parent, n: child });
        child = parent;
      }
    }
    return out;
  }

  async #call<R extends object>(sql: string, params: unknown[]): Promise<R> {
    try {
      const { rows } = await this.#d.db.query<R & Record<string, unknown>>(sql, params);
      const row = rows[0];
      if (!row) throw new Error('no answer');
      return row;
    } catch (error) {
      throw new TeamUnavailable((error as Error).message);
    }
  }

  async acquire(job: { id: string; orderNo: string; currentOrderNo: string }): Promise<ClaimAnswer> {
    const row = await this.#call<ClaimRow>('SELECT * FROM team_claim($1, $2::jsonb, $3, $4, $5, $6)', [
      job.currentOrderNo,
      JSON.stringify(this.#localLinks([job.orderNo, job.currentOrderNo])),
      this.#d.deskId,
      job.id,
      this.#d.staff(),
      this.#ttlMs,
    ]);
    // Another desk's regenerations become ours before the runner follows links (never regenerate twice).
    const at = this.#d.now?.() ?? new Date().toISOString();
    for (const link of row.links) this.#d.links.link(link.o, link.n, at);
    if (!row.held) {
      this.#held.delete(job.id);
      return {
        held: false,
        holder: row.holder_desk ? { deskId: row.holder_desk, staff: row.holder_staff ?? '' } : null,
        retryMs: this.#d.retryMs ?? 5000,
        ...(row.needs_staff ? { needsStaff: true } : {}),
      };
    }
    this.#held.set(job.id, { root: row.chain_root, token: String(row.token) });
    this.#startRenewal();
    return { held: true };
  }

  async assertHeld(jobId: string, step: { kind: 'pay' | 'regenerate'; orderNo: string }): Promise<ClaimAnswer> {
    const held = this.#held.get(jobId);
    if (!held) return { held: false, holder: null, retryMs: 0 };
    const row = await this.#call<{ ok: boolean; holder_desk: string | null; holder_staff: string | null }>(
      'SELECT * FROM team_fence($1, $2::jsonb, $3, $4, $5::bigint, $6, $7)',
      [step.orderNo, JSON.stringify(this.#localLinks([step.orderNo])), this.#d.deskId, jobId, held.token, step.kind, this.#ttlMs],
    );
    if (row.ok) return { held: true };
    this.#held.delete(jobId);
    this.#d.log?.(`team: claim of job ${jobId} could not be proven before ${step.kind} ${step.orderNo}`);
    const other = row.holder_desk && row.holder_desk !== this.#d.deskId;
    return { held: false, holder: other ? { deskId: row.holder_desk as string, staff: row.holder_staff ?? '' } : null, retryMs: this.#d.retryMs ?? 5000 };
  }

  async reachable(): Promise<boolean> {
    try {
      await this.#d.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** The job settled or is released: stop renewing it (the release itself is the outbox's). */
  forget(jobId: string): void {
    this.#held.delete(jobId);
  }

  #startRenewal(): void {
    if (this.#renewal) return;
    this.#renewal = setInterval(() => void this.#renew(), Math.max(200, Math.floor(this.#ttlMs / 3)));
    this.#renewal.unref();
  }

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const jobs = [...this.#held.keys()];
    const tokens = jobs.map((j) => this.#held.get(j)?.token ?? '0');
    try {
      await this.#d.db.query(
        `UPDATE team_claims SET expires_at = now() + make_interval(secs => $4 / 1000.0)
         WHERE desk_id = $1 AND (job_id, token) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))`,
        [this.#d.deskId, jobs, tokens, this.#ttlMs],
      );
    } catch (error) {
      // Not fatal: the proof before each mutating call is what counts.
      this.#d.log?.(`team: lease renewal failed: ${(error as Error).message}`);
    }
  }

  stop(): void {
    if (this.#renewal) clearInterval(this.#renewal);
    this.#renewal = null;
    this.#held.clear();
  }
}
