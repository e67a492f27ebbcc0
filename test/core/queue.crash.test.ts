// Crash-kill: child desk processes drain mixed recovery jobs against the simulator in this process
// and are SIGKILLed mid-work, then restarted, until every job settles. The simulator answers with
// latency (pay.do and regenerateOrder.do take 40 ms), so work takes real time, and the kill moments
// are chosen from the progress points each child prints (electron/core/trace.ts):
//   journal→send        the pay step is committed, the request has not left (the child is held there);
//   send→answer         the simulator holds the pay.do request it received and has not answered;
//   answer→record       pay.do answered, the answer is not recorded yet (held there);
//   regenerate…         the same two moments around regenerateOrder.do;
//   reconcile→record    the query that settles an unknown step answered, its record is not written;
//   random              right after a random number (1–20) of progress points.
// Only kills of a child that had reported progress since it started (and had not drained) count.
// Exactly once: every order ends paid exactly once (the simulator's ledger), or its job is in
// attention with outcome_unknown AND a kill interrupted one of its steps (the killed child had
// started a pay or regenerate — re-read, planned, maybe journaled — and not finished that advance),
// or, counted and printed apart, the desk itself recorded an answer lost on the wire (a
// `step_unknown` event: a timeout or a reset on a loaded machine); no job is lost;
// no pay.do is sent twice for an order; no chain is regenerated or paid twice.
// The second suite runs two processes on ONE database file, both killed at random: the queue lease
// keeps them from working the same jobs.
// CRASH_KILLS / CRASH_DUO_KILLS set the targets (bench/crash-soak.ts raises them); CRASH_LANES how
// many seeds run side by side.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryQueue } from '../../electron/core/queue.ts';
import { openDatabase } from '../../electron/store/db.ts';
import { EventsRepo } from '../../electron/store/events-repo.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { startSimulator } from '../../electron/simulator/index.ts';
import type { Job } from '../../shared/desk.ts';
import { SETTLED_JOB_STATES } from '../../shared/desk.ts';
import { bootChild, type ChildLine, type DeskChild } from '../support/child-runner.ts';
import { depositIntents } from './queue-harness.ts';
import { orderA, orderAExpired, orderB } from '../support/scenarios.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

const TARGET_KILLS = Number(process.env.CRASH_KILLS ?? 200);
const DUO_TARGET_KILLS = Number(process.env.CRASH_DUO_KILLS ?? 40);
const LANES = Number(process.env.CRASH_LANES ?? 2);
const JOBS = 24;
/**
 * A run whose planned moment does not come (no such step left) is killed at a random moment after
 * this many progress points. Counting points, not milliseconds, keeps every run doing some work
 * however slow the machine is, so a seed always drains in the end.
 */
const FALLBACK_POINTS = 60;
const MUTATING_LATENCY_MS = 40;

let sim: RunningSimulator;
let compileCache: string;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'empty', seed: 3, ticketingDelayMs: 0 });
  sim.control.setBalance('USD', 100_000_000);
  sim.control.setFault('pay', { kind: 'latency', ms: MUTATING_LATENCY_MS });
  sim.control.setFault('regenerateOrder', { kind: 'latency', ms: MUTATING_LATENCY_MS });
  for (const read of ['queryOrderDetails', 'orderList', 'balance'] as const) sim.control.setFault(read, { kind: 'latency', ms: 3 });
  compileCache = tempDir('desk-crash-cc-').dir;
});
afterAll(async () => {
  await sim?.stop();
  removeDir(compileCache);
});

/** mulberry32: the kill plans are reproducible per seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Moment = 'journal→send' | 'send→answer' | 'answer→record' | 'regenerate journal→send' | 'regenerate answer→record' | 'reconcile→record' | 'random';

interface Plan {
  moment: Moment;
  /** Two processes on one file: kill this one after so many ms if it is the one waiting. */
  standbyKillMs?: number;
  /** The child blocks itself at this point (the kill lands exactly there). */
  hold?: { point: string; nth: number };
  /** send→answer: the nth pay.do the child journals. */
  wireNth?: number;
  /** random: after this many progress points. */
  points: number;
}

function choosePlan(random: () => number, leftovers: boolean): Plan {
  const nth = 1 + Math.floor(random() * 3);
  const points = 1 + Math.floor(random() * 20);
  const r = random();
  // After a kill that interrupted a step, the next start reconciles it first: aim there at times.
  if (leftovers && r < 0.25) return { moment: 'reconcile→record', hold: { point: 'reconcile_read', nth: 1 }, points };
  const pick = leftovers ? (r - 0.25) / 0.75 : r;
  if (pick < 0.2) return { moment: 'journal→send', hold: { point: 'pay_journaled', nth }, points };
  if (pick < 0.4) return { moment: 'send→answer', wireNth: nth, points };
  if (pick < 0.6) return { moment: 'answer→record', hold: { point: 'pay_answered', nth }, points };
  if (pick < 0.7) return { moment: 'regenerate journal→send', hold: { point: 'regenerate_journaled', nth: 1 + (nth % 2) }, points };
  if (pick < 0.8) return { moment: 'regenerate answer→record', hold: { point: 'regenerate_answered', nth: 1 + (nth % 2) }, points };
  return { moment: 'random', points };
}

const isProgress = (l: ChildLine) => l.kind === 'trace' && !l.point.startsWith('lease_');

interface Tally {
  kills: number;
  /** Kills that landed before the child had done anything, or after it drained: not counted. */
  idleKills: number;
  byMoment: Record<string, number>;
}

function newTally(): Tally {
  return { kills: 0, idleKills: 0, byMoment: {} };
}

/**
 * Watches one running child and kills it as `plan` says. Resolves with the moment when the kill was
 * a real mid-work one, null when it was not (or when the child drained first).
 */
function killPer(child: DeskChild, plan: Plan): Promise<Moment | null> {
  return new Promise((resolve) => {
    let progress = 0;
    let done = false;
    let journaled = 0;
    const finish = (moment: Moment | null, kill: boolean) => {
      if (done) return;
      done = true;
      const real = kill && progress > 0 && !child.lines.some((l) => l.raw === 'drained');
      if (kill) child.kill();
      resolve(real ? moment : null);
    };
    child.onLine((line) => {
      if (done) return;
      if (line.raw === 'drained') return finish(null, false);
      if (plan.standbyKillMs !== undefined && progress === 0 && line.kind === 'lease' && line.point === 'false') {
        setTimeout(() => progress === 0 && finish(null, true), plan.standbyKillMs);
      }
      if (line.kind === 'hold') return finish(plan.moment, true);
      if (isProgress(line)) {
        progress++;
        if (progress >= (plan.moment === 'random' ? plan.points : FALLBACK_POINTS + plan.points)) return finish('random', true);
      }
      if (plan.wireNth !== undefined && line.kind === 'trace' && line.point === 'pay_journaled' && ++journaled === plan.wireNth) {
        // Kill once the simulator holds the request and has not answered it.
        const orderNo = line.orderNo;
        const poll = () => {
          if (done) return;
          if (onTheWire(orderNo)) return finish('send→answer', true);
          // Answered before we saw it on the wire: it still is a kill mid-work, at a random moment.
          if (sim.control.requests('pay', orderNo).some((r) => r.httpStatus !== null)) return finish('random', true);
          setTimeout(poll, 1);
        };
        poll();
      }
    });
    void child.ended.then(() => finish(null, false), () => finish(null, false));
  });
}

/**
 * After a child was killed: the jobs it had started a pay or regenerate for (re-read and planned,
 * maybe journaled, maybe sent) without finishing that advance. Read from every line it wrote.
 */
function noteInterrupted(child: DeskChild, into: Set<string>): void {
  const open = new Set<string>();
  for (const line of child.lines) {
    if (line.kind !== 'trace') continue;
    if (line.point === 'pay_ready' || line.point === 'regenerate_ready') open.add(line.jobId);
    if (line.point === 'advanced') open.delete(line.jobId);
  }
  for (const jobId of open) into.add(jobId);
}

/** The pay.do for `orderNo` reached the simulator and is not answered yet. */
function onTheWire(orderNo: string): boolean {
  const sent = sim.control.requests('pay', orderNo);
  return sent.length > 0 && sent.every((r) => r.httpStatus === null);
}

/** The simulator's view, read once per judgement (its lists grow with every seed). */
function atlasView() {
  const regenerated = new Map<string, string[]>();
  for (const o of sim.control.orders()) {
    if (o.originalOrderNo) regenerated.set(o.originalOrderNo, [...(regenerated.get(o.originalOrderNo) ?? []), o.orderNo]);
  }
  const count = (keys: (string | null)[]) => {
    const map = new Map<string, number>();
    for (const k of keys) if (k) map.set(k, (map.get(k) ?? 0) + 1);
    return (k: string) => map.get(k) ?? 0;
  };
  const ledger = sim.control.ledger();
  return {
    chainOf: (orderNo: string) => [orderNo, ...(regenerated.get(orderNo) ?? [])],
    payments: count(ledger.filter((e) => e.kind === 'pay').map((e) => e.orderNo)),
    regenerations: count(ledger.filter((e) => e.kind === 'regenerate').map((e) => e.originalOrderNo)),
    paySent: count(sim.control.requests('pay').map((r) => r.orderNo)),
  };
}

function makeOrders(tag: string): string[] {
  const now = sim.control.now();
  return Array.from({ length: JOBS }, (_, i) => {
    const pax = [`${tag}/P${i}`];
    const kind = i % 3;
    const spec = kind === 0 ? orderA({ passengers: pax }) : kind === 1 ? orderB(now, { passengers: pax }) : orderAExpired(now, { passengers: pax });
    return sim.control.createOrder(spec).orderNo;
  });
}

/** Staff intents are written by "the desk" before any runner process starts. */
function prepare(orders: string[]): { dir: string; dbPath: string } {
  const dir = tempDir('desk-crash-').dir;
  const dbPath = join(dir, 'desk.db');
  const store = openDatabase(dbPath);
  const queue = new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } });
  expect(queue.enqueueDeposit(depositIntents(sim, orders), 'mei').jobs).toHaveLength(orders.length);
  store.close();
  return { dir, dbPath };
}

interface Outcome {
  jobs: number;
  attention: number;
  /** Attention jobs whose payment did go through after the reconciling query (Atlas was still at it). */
  attentionPaid: number;
  /** Attention jobs no kill explains, where the desk recorded an answer lost on the wire, by failure kind. */
  lostAnswers: Record<string, number>;
  states: Record<string, number>;
}

/** The exactly-once judgement of one database file against the simulator's ledger. */
function judge(dbPath: string, orders: string[], interrupted: Set<string>): Outcome {
  const store = openDatabase(dbPath);
  let jobs: Job[];
  /** Per job: the failure kinds of its `step_unknown` events (an ambiguous answer, not a kill). */
  const unknownAnswers = new Map<string, string[]>();
  try {
    jobs = new RetryQueue({ db: store.db, atlas: null as never, clock: { now: () => Date.now() } }).list();
    const events = new EventsRepo(store.db);
    for (const job of jobs) {
      const orders = new Set([job.orderNo, job.currentOrderNo]);
      const kinds = [...orders].flatMap((o) => events.timeline(o)).filter((e) => e.kind === 'step_unknown' && e.data.jobId === job.id);
      unknownAnswers.set(job.id, kinds.map((e) => String(e.data.kind)));
    }
  } finally {
    store.close();
  }
  expect(jobs.map((j) => j.orderNo).sort(), 'no job lost, none added').toEqual([...orders].sort());
  const states: Record<string, number> = {};
  let attention = 0;
  let attentionPaid = 0;
  const lostAnswers: Record<string, number> = {};
  const atlas = atlasView();
  for (const job of jobs) {
    const key = `${job.state}/${job.reason ?? job.outcome}`;
    states[key] = (states[key] ?? 0) + 1;
    expect(SETTLED_JOB_STATES, `${job.orderNo} settled`).toContain(job.state);
    const chain = atlas.chainOf(job.orderNo);
    const paid = chain.reduce((n, o) => n + atlas.payments(o), 0);
    for (const o of chain) expect(atlas.paySent(o), `${o}: pay.do sent at most once`).toBeLessThanOrEqual(1);
    expect(atlas.regenerations(job.orderNo), `${job.orderNo} regenerated once at most`).toBeLessThanOrEqual(1);
    if (job.state === 'attention') {
      attention++;
      // A kill explains it (a step of this job was in flight when its process died), or the desk
      // recorded that an answer was lost on the wire.
      const lost = unknownAnswers.get(job.id) ?? [];
      const explained = interrupted.has(job.id) || lost.length > 0;
      expect({ order: job.orderNo, reason: job.reason, explained }).toEqual({ order: job.orderNo, reason: 'outcome_unknown', explained: true });
      if (!interrupted.has(job.id)) for (const kind of lost) lostAnswers[kind] = (lostAnswers[kind] ?? 0) + 1;
      expect(paid, `${job.orderNo} paid at most once`).toBeLessThanOrEqual(1);
      attentionPaid += paid;
    } else {
      expect({ order: job.orderNo, state: job.state, paid }).toEqual({ order: job.orderNo, state: 'done', paid: 1 });
    }
  }
  return { jobs: jobs.length, attention, attentionPaid, lostAnswers, states };
}

function add(total: Outcome, one: Outcome): void {
  total.jobs += one.jobs;
  total.attention += one.attention;
  total.attentionPaid += one.attentionPaid;
  for (const [k, v] of Object.entries(one.lostAnswers)) total.lostAnswers[k] = (total.lostAnswers[k] ?? 0) + v;
  for (const [k, v] of Object.entries(one.states)) total.states[k] = (total.states[k] ?? 0) + v;
}

/** Boots processes ahead of need; take() hands out a booted one and boots the next. */
function pool() {
  const all: DeskChild[] = [];
  const boot = () => {
    const child = bootChild(sim, { compileCache });
    all.push(child);
    return child;
  };
  let next = boot();
  return {
    take(): DeskChild {
      const child = next;
      next = boot();
      return child;
    },
    /** Kills every process still alive (a held one blocks forever), also when a judgement failed. */
    close(): void {
      for (const child of all) if (child.process.exitCode === null && child.process.signalCode === null) child.kill();
    },
  };
}

function report(title: string, tally: Tally, outcome: Outcome, ms: number, seeds: number): void {
  const rate = ((100 * outcome.attention) / Math.max(1, outcome.jobs)).toFixed(1);
  console.log(
    `${title}: ${tally.kills} mid-work kills (${tally.idleKills} more not counted) over ${seeds} seeds in ${Math.round(ms / 1000)} s; ` +
      `attention rate ${rate}% (${outcome.attention}/${outcome.jobs} jobs; in ${outcome.attentionPaid} of them the payment went through after the reconciling query; not a kill but an answer lost on the wire: ${JSON.stringify(outcome.lostAnswers)}); kills by moment ${JSON.stringify(tally.byMoment)}; end states ${JSON.stringify(outcome.states)}`,
  );
}

describe('crash-kill', () => {
  it(`SIGKILL mid-work (≥ ${TARGET_KILLS} kills): every order paid exactly once or stopped for a reason the kill explains`, async () => {
    const started = performance.now();
    const tally = newTally();
    const total: Outcome = { jobs: 0, attention: 0, attentionPaid: 0, lostAnswers: {}, states: {} };
    let seedNo = 0;
    const lane = async (laneNo: number) => {
      const children = pool();
      try {
        while (tally.kills < TARGET_KILLS) {
          const seed = ++seedNo;
          const random = rng(seed * 7919 + laneNo);
          const orders = makeOrders(`CRASH${seed}`);
          const { dir, dbPath } = prepare(orders);
          const interrupted = new Set<string>();
          let leftovers = false;
          for (;;) {
            const plan = choosePlan(random, leftovers);
            const child = children.take();
            await child.waitFor((l) => l.raw === 'ready');
            child.go(dbPath, plan.hold ? { CRASH_HOLD: JSON.stringify(plan.hold) } : {});
            const moment = await killPer(child, plan);
            const end = await child.ended;
            if (end === 'killed') noteInterrupted(child, interrupted);
            if (end === 'drained') break;
            if (moment === null) tally.idleKills++;
            else {
              tally.kills++;
              tally.byMoment[moment] = (tally.byMoment[moment] ?? 0) + 1;
            }
            leftovers = moment !== null;
          }
          add(total, judge(dbPath, orders, interrupted));
          removeDir(dir);
        }
      } finally {
        children.close();
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    report('crash-kill', tally, total, performance.now() - started, seedNo);
    expect(tally.kills).toBeGreaterThanOrEqual(TARGET_KILLS);
    for (const moment of ['journal→send', 'send→answer', 'answer→record', 'reconcile→record', 'random'] as const) {
      expect(tally.byMoment[moment] ?? 0, `kills at ${moment}`).toBeGreaterThan(0);
    }
  }, 1_800_000 + TARGET_KILLS * 10_000);
});

describe('crash-kill, two processes on one database file', () => {
  it(`both SIGKILLed at random (≥ ${DUO_TARGET_KILLS} kills of the working one): the lease keeps them from double work`, async () => {
    const started = performance.now();
    const tally = newTally();
    const total: Outcome = { jobs: 0, attention: 0, attentionPaid: 0, lostAnswers: {}, states: {} };
    const children = pool();
    let seeds = 0;
    try {
      while (tally.kills < DUO_TARGET_KILLS) {
        const seed = ++seeds;
        const random = rng(seed * 104_729);
        const orders = makeOrders(`DUO${seed}`);
        const { dir, dbPath } = prepare(orders);
        const interrupted = new Set<string>();
        // Two slots on one file; a killed process is replaced at once. The one that took the lease
        // last does the work; a kill of the other (waiting) one is not a mid-work kill.
        const slots: (DeskChild | null)[] = [null, null];
        const launch = async (slot: number) => {
          const plan = choosePlan(random, false);
          if (random() < 0.25) plan.standbyKillMs = Math.floor(random() * 300);
          const child = children.take();
          slots[slot] = child;
          await child.waitFor((l) => l.raw === 'ready');
          child.go(dbPath, { QUEUE_TICK_MS: '20', ...(plan.hold ? { CRASH_HOLD: JSON.stringify(plan.hold) } : {}) });
          return { child, plan };
        };
        const run = async (slot: number): Promise<void> => {
          for (;;) {
            const { child, plan } = await launch(slot);
            const moment = await killPer(child, plan);
            const end = await child.ended;
            if (end === 'killed') noteInterrupted(child, interrupted);
            if (end === 'drained') return;
            if (moment === null) tally.idleKills++;
            else {
              tally.kills++;
              tally.byMoment[moment] = (tally.byMoment[moment] ?? 0) + 1;
            }
          }
        };
        await Promise.all([run(0), run(1)]);
        add(total, judge(dbPath, orders, interrupted));
        removeDir(dir);
      }
    } finally {
      children.close();
    }
    report('crash-kill, two processes', tally, total, performance.now() - started, seeds);
    expect(tally.kills).toBeGreaterThanOrEqual(DUO_TARGET_KILLS);
  }, 1_800_000 + DUO_TARGET_KILLS * 10_000);
});
