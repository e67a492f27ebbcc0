// The one IPC contract (docs/conventions.md "One IPC contract"). Every invoke channel maps to a zod
// request schema and a response type; every push channel to its payload type. The preload
// (`window.desk`), the main-side registrar and the browser-test bridge are all derived from
// `channels` / `pushes`, so adding a channel here without a handler is a compile error.
//
// Requests come from the renderer and are untrusted: they are validated in full. Responses come
// from our own main process: their schemas are `z.custom` type carriers, not re-validated.
import { z } from 'zod';
import { checkAtlasBaseUrl, checkProxyUrl } from './atlas-host.ts';
import type { HostVerdict } from './atlas-host.ts';
import type { CardDetails, Money } from './atlas.ts';
import { looksLikeCardNumber } from './card.ts';
import { MAX_PRICE_TOLERANCE_PERCENT } from './approval.ts';
import type { DeskOrder, Job, StorageStatus, SyncStatus, TeamHold, TimelineEvent } from './desk.ts';
import type { Plan } from './plan.ts';
import type { RefusalReason } from './reasons.ts';
import type { ReportSummary } from './reports.ts';
import { dayIndexMs, isTimeZone, MAX_REPORT_DAYS } from './reports.ts';

// ---- Building blocks ----

const orderNo = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{6,40}$/, 'order number: 6–40 capital letters and digits')
  .refine((value) => !looksLikeCardNumber(value), 'a card number, not an order number');
const currency = z.string().regex(/^[A-Z]{3}$/);
const isoInstant = z.iso.datetime({ offset: true });
const jobId = z.string().min(1).max(64);
const money = z.object({ amount: z.number().finite().nonnegative().max(1e12), currency }).strict();
/** What staff saw and approved, per source (docs/money-safety.md rule 9). */
const approvedAmounts = z.object({ dueFromDeposit: money.nullable(), dueFromCard: money.nullable() }).strict();
const calendarDay = z.string().refine((day) => dayIndexMs(day) !== null, 'a calendar day yyyy-MM-dd');

/** Local days, both inclusive, at most MAX_REPORT_DAYS, in a time zone Intl knows. */
const reportRange = z
  .object({ from: calendarDay, to: calendarDay, timeZone: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone') })
  .strict()
  .refine(({ from, to }) => {
    const span = ((dayIndexMs(to) ?? 0) - (dayIndexMs(from) ?? 0)) / 86_400_000;
    return span >= 0 && span < MAX_REPORT_DAYS;
  }, `from ≤ to, at most ${MAX_REPORT_DAYS} days`);

export const cardSchema = z.object({
  cardNumber: z.string().regex(/^\d{12,19}$/),
  cardCVV: z.string().regex(/^\d{3,4}$/),
  cardExpireMonth: z.string().regex(/^(0[1-9]|1[0-2])$/),
  cardExpireYear: z.string().regex(/^(\d{2}|\d{4})$/),
  cardHolderFirstName: z.string().trim().min(1).max(60),
  cardHolderLastName: z.string().trim().min(1).max(60),
  cardHolderCountry: z.string().regex(/^[A-Z]{2}$/).nullish(),
  cardHolderProvince: z.string().max(40).nullish(),
  cardHolderCity: z.string().max(80).nullish(),
  cardHolderPostCode: z.string().max(20).nullish(),
  cardHolderAddress: z.string().max(200).nullish(),
  reusable: z.boolean().nullish(),
  paymentLimit: z.number().positive().max(1e7).nullish(),
}) satisfies z.ZodType<CardDetails>;

export type Environment = 'training' | 'sandbox' | 'production';
export type Language = 'en' | 'zh-CN';

export interface Settings {
  environment: Environment;
  sandboxBaseUrl: string;
  productionBaseUrl: string;
  productionSearchBaseUrl: string;
  staffName: string;
  /** null: follow the OS locale. */
  language: Language | null;
  /** The most recovery jobs talking to Atlas at once; the desk adapts below it (CONCURRENCY_BOUNDS). */
  maxConcurrency: number;
  /** Minutes; 0 turns periodic sync off. */
  syncIntervalMinutes: number;
  /** The receiver listens on `host` (loopback or an address of this machine) and `port`, plain http. */
  webhook: { enabled: boolean; host: string; port: number };
  /**
   * How far above the amount staff approved a job may still pay, in percent of that amount, per
   * source and in its own currency (0 = never above). See shared/approval.ts.
   */
  priceTolerancePercent: number;
  /**
   * "Route Atlas calls through the agency's proxy": when enabled, every Sandbox/Production call —
   * client secret and card numbers included — goes to `url` instead of the Atlas host, and the
   * proxy forwards it to Atlas. Off by default; `url` is '' until staff name one.
   */
  atlasProxy: { enabled: boolean; url: string };
  /** The agency's https address (its TLS proxy) that forwards to the receiver; '' = not set. */
  webhookPublicUrl: string;
  /** Open the desk when staff log in to the computer (off by default). */
  startAtLogin: boolean;
}

/** Settings' max concurrency: its default and the range staff may choose (app and CLI alike). */
export const CONCURRENCY_BOUNDS = Object.freeze({ min: 1, max: 64, default: 16 });

/** A URL string checked by `check` and replaced by its normalised form (what is stored and used). */
const checkedUrl = (check: (raw: string) => HostVerdict) =>
  z
    .string()
    .max(2048)
    .transform((raw, ctx) => {
      const verdict = check(raw);
      if (verdict.ok) return verdict.url;
      ctx.addIssue({ code: 'custom', message: verdict.problem });
      return z.NEVER;
    });

/** Sandbox/Production hosts: Atlas's own only (docs/money-safety.md rule 14). */
const atlasBaseUrl = checkedUrl(checkAtlasBaseUrl);

const atlasProxy = z
  .object({ enabled: z.boolean(), url: z.union([z.literal(''), checkedUrl(checkProxyUrl)]) })
  .strict()
  .refine((proxy) => !proxy.enabled || proxy.url !== '', { message: 'an enabled proxy needs a URL', path: ['url'] });

export const settingsPatchSchema = z
  .object({
    environment: z.enum(['training', 'sandbox', 'production']),
    sandboxBaseUrl: atlasBaseUrl,
    productionBaseUrl: atlasBaseUrl,
    productionSearchBaseUrl: atlasBaseUrl,
    staffName: z.string().trim().max(80),
    language: z.enum(['en', 'zh-CN']).nullable(),
    maxConcurrency: z.number().int().min(CONCURRENCY_BOUNDS.min).max(CONCURRENCY_BOUNDS.max),
    syncIntervalMinutes: z.number().int().min(0).max(24 * 60),
    priceTolerancePercent: z.number().min(0).max(MAX_PRICE_TOLERANCE_PERCENT).multipleOf(0.01),
    webhook: z.object({
      enabled: z.boolean(),
      // An IP literal: loopback or one of this machine's addresses (checked by the shell).
      host: z.union([z.ipv4(), z.ipv6()]),
      port: z.number().int().min(1).max(65535),
    }),
    atlasProxy,
    webhookPublicUrl: z.union([z.literal(''), z.url({ protocol: /^https$/ }).max(500)]),
    startAtLogin: z.boolean(),
  })
  .partial()
  .strict();

export interface EnvironmentInfo {
  environment: Environment;
  /** Training mode: the embedded simulator, no real bookings. */
  training: boolean;
  online: boolean;
  /** Credentials usable for the selected environment and host (bound to it, see Settings). */
  credentialsConfigured: boolean;
  /**
   * A secret is saved but was entered for another environment or host (or by a version that did
   * not bind it): it is not sent, and staff must enter it again here.
   */
  credentialsNeedReentry: boolean;
  /** Where the client secret lives: encrypted by the OS, or in memory for this session only. */
  secretStorage: 'encrypted' | 'memory_only' | 'none';
  /** Settings were reset because the file was unreadable (the old file was kept). */
  settingsRecovered: boolean;
  /** The desk's database was unreadable: it was moved aside to this path and a new one started. */
  databaseRecoveredFrom: string | null;
  /** The window's renderer stopped (crash, out of memory…) and main reloaded it: when and why. */
  windowRecovered: { at: string; reason: string } | null;
  appVersion: string;
  /** Team mode's database URL: whether one is set, the server it names (never the password), where it is kept. */
  /** `unreadable`: one is saved but could not be read at start; the desk stays in that team, not connected. */
  teamDatabase?: { configured: boolean; server: string | null; storage: 'encrypted' | 'memory_only' | 'none'; unreadable?: boolean };
}

export type CredentialsTestResult = 'ok' | 'wrong_credentials' | 'unreachable' | 'ip_not_whitelisted' | 'error';

export interface DepositPreview {
  /**
   * Per settlement currency: the balance, what the orders it covers need (`due`, `orders`), and
   * what is left after them (null when the balance is unknown).
   */
  totals: { currency: string; due: number; balance: number | null; orders: number; left: number | null }[];
  /** The orders the deposit covers, in the order they are paid: per currency, soonest deadline first. */
  eligible: string[];
  /** Orders that cannot be recovered with deposit, and why. */
  ineligible: { orderNo: string; reason: RefusalReason }[];
  /** What each eligible order would take from the deposit: what staff approve by confirming. */
  dues: { orderNo: string; dueFromDeposit: Money }[];
  /** Orders that could be paid with deposit, but not from this balance once `eligible` are paid. */
  beyondBalance: { orderNo: string; dueFromDeposit: Money }[];
}

/** The webhook receiver: where it listens and the URL (with its secret token) staff register in ATRIP. */
export interface WebhookStatus {
  enabled: boolean;
  /** Where it listens on this computer (plain http, secret path included), when it runs. */
  url: string | null;
  /** What to register in ATRIP: the public https URL + the secret path; null until a public URL is set. */
  publicUrl: string | null;
  /** Why it is not running although enabled (e.g. the port is taken, or the address is not allowed). */
  error: string | null;
}

/** An address the receiver may listen on: loopback, or one of this machine's interfaces. */
export interface WebhookAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  /** The interface's OS name ("loopback" for loopback). */
  interface: string;
  loopback: boolean;
}

/** CSV dialect: `comma`, or `semicolon` (with a decimal comma) for Excel in decimal-comma locales. */
export type CsvSeparator = 'comma' | 'semicolon';

/**
 * An app update, as the window's "restart to update" banner shows it. `ready`: downloaded, staff
 * may restart; `waiting`: staff asked while a payment was in flight, the desk restarts by itself
 * once none is; `restarting`: quitting to install.
 */
export interface UpdateStatus {
  state: 'none' | 'ready' | 'waiting' | 'restarting';
  /** The downloaded version, once there is one. */
  version: string | null;
}

/** Team mode (several desks sharing a PostgreSQL database); `enabled: false` for a desk on its own. */
export interface TeamStatus {
  enabled: boolean;
  /** The team database answers right now (when not, no pay/regenerate is sent). */
  connected: boolean;
  /** Where the team database is (host:port/database), never the password. */
  server: string | null;
  /** Other desks' holds, each with the orders of its chain. */
  holds: (TeamHold & { orderNos: string[] })[];
  /** Why it is not connected, when known (the words of Settings' "test connection"). */
  problem?: TeamProblem;
}

export type TeamTestResult = 'ok' | 'bad_url' | 'auth' | 'unreachable' | 'tls' | 'ca_unreadable' | 'stored_unreadable' | 'newer_schema' | 'error';
export type TeamProblem = Exclude<TeamTestResult, 'ok'>;

/**
 * Who runs the recovery queue of this desk's database file. One desk process at a time does (a
 * lease); another one on the same file — the CLI beside the app — may add and read, not run.
 */
export interface QueueLeaseStatus {
  /** This desk process runs the jobs. */
  runsHere: boolean;
  /** The other desk process that runs them now (it runs this desk's new jobs too), or null. */
  elsewhere: { pid: number; host: string; since: string } | null;
}

/** How many recovery jobs may talk to Atlas at once right now (`limit`), under the settings' cap (`max`). */
export interface QueuePace {
  limit: number;
  max: number;
}

export interface HistoryQuery {
  search?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export interface HistoryEntry {
  order: DeskOrder;
  lastEventAt: string;
  /** The OS account the order's latest event (at `lastEventAt`) was written under. */
  lastOsAccount: string | null;
}

// ---- Channels ----

const custom = <T>() => z.custom<T>(() => true);
const none = z.object({}).strict();

export const channels = {
  'env:get': { request: none, response: custom<EnvironmentInfo>() },
  /** Support text (versions, environment, queue counts, redacted recent log); main also puts it on the clipboard. */
  'env:diagnostics': { request: none, response: custom<{ text: string }>() },

  'orders:list': {
    request: z.object({ scope: z.enum(['failed', 'unpaid', 'all']) }).strict(),
    response: custom<DeskOrder[]>(),
  },
  'orders:show': {
    request: z.object({ orderNo }).strict(),
    response: custom<{ order: DeskOrder; timeline: TimelineEvent[] }>(),
  },
  'orders:add': {
    request: z
      .object({ orderNos: z.array(z.string().max(64)).min(1).max(500), markFailed: z.boolean() })
      .strict(),
    response: custom<{ added: string[]; notFound: string[]; invalid: string[] }>(),
  },
  /** Staff checked an order whose payment outcome Atlas never confirmed; it may be recovered again. */
  'orders:acknowledge': { request: z.object({ orderNo }).strict(), response: custom<DeskOrder>() },
  /** Staff checked that the card charge Atlas started on this unpaid order did not take money. */
  'orders:confirmNotCharged': { request: z.object({ orderNo }).strict(), response: custom<DeskOrder>() },
  'orders:sync': { request: none, response: custom<SyncStatus>() },
  'sync:status': { request: none, response: custom<SyncStatus>() },

  'recovery:plan': {
    request: z.object({ orderNo }).strict(),
    response: custom<{ plan: Plan; balances: Money[] }>(),
  },
  'recovery:previewDeposit': {
    request: z.object({ orderNos: z.array(orderNo).min(1).max(500) }).strict(),
    response: custom<DepositPreview>(),
  },
  /** Each order with the deposit amount staff approved for it (as previewed); one without is rejected. */
  'recovery:deposit': {
    request: z
      .object({
        orderNos: z.array(orderNo).min(1).max(500),
        approvals: z.array(z.object({ orderNo, dueFromDeposit: money }).strict()).max(500),
      })
      .strict(),
    response: custom<{ jobs: Job[]; rejected: { orderNo: string; reason: RefusalReason }[] }>(),
  },
  /**
   * `approved`: the card charge and the deposit fee staff saw. `replaceJobId`: the order's unsettled
   * job that has not sent anything, whose method this card replaces (else `already_queued`).
   */
  'recovery:card': {
    request: z.object({ orderNo, card: cardSchema, approved: approvedAmounts, replaceJobId: jobId.optional() }).strict(),
    response: custom<Job>(),
  },
  /** Staff approve the amounts jobs stopped at (needs_approval), each as they saw it. */
  'recovery:approve': {
    request: z
      .object({ approvals: z.array(approvedAmounts.extend({ jobId }).strict()).min(1).max(500) })
      .strict(),
    response: custom<{ jobs: Job[]; rejected: { jobId: string; reason: RefusalReason }[] }>(),
  },

  'queue:list': { request: none, response: custom<Job[]>() },
  'queue:cancel': { request: z.object({ jobId }).strict(), response: custom<Job>() },
  'queue:provideCard': {
    request: z.object({ jobId, card: cardSchema }).strict(),
    response: custom<Job>(),
  },
  /** Whether this desk or another desk process on the same database runs the queue. */
  'queue:lease': { request: none, response: custom<QueueLeaseStatus>() },
  /** The queue's current concurrency: it grows while Atlas answers and halves on 429s, 5xx and timeouts. */
  'queue:pace': { request: none, response: custom<QueuePace>() },

  'webhook:status': { request: none, response: custom<WebhookStatus>() },
  /** A new secret path: the old webhook URL stops working at once (ATRIP must get the new one). */
  'webhook:rotateToken': { request: none, response: custom<WebhookStatus>() },

  'team:status': { request: none, response: custom<TeamStatus>() },

  /** Whether the desk's own database failed a read or write while it ran (disk full, read-only…). */
  'storage:status': { request: none, response: custom<StorageStatus>() },
  /** Staff fixed the cause: try the database again; the problem clears when it passes. */
  'storage:check': { request: none, response: custom<StorageStatus>() },

  'balance:get': {
    request: z.object({ currencies: z.array(currency).min(1).max(20) }).strict(),
    response: custom<Money[]>(),
  },

  'history:query': {
    request: z
      .object({
        search: z.string().max(100).optional(),
        since: isoInstant.optional(),
        until: isoInstant.optional(),
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    response: custom<HistoryEntry[]>(),
  },
  'history:export': {
    request: z
      .object({ since: isoInstant.optional(), until: isoInstant.optional(), separator: z.enum(['comma', 'semicolon']).optional() })
      .strict(),
    response: custom<{ saved: boolean; path: string | null; rows: number }>(),
  },

  'reports:summary': { request: reportRange, response: custom<ReportSummary>() },
  'reports:export': { request: reportRange, response: custom<{ saved: boolean; path: string | null; rows: number }>() },

  'settings:get': { request: none, response: custom<Settings>() },
  'settings:update': { request: settingsPatchSchema, response: custom<Settings>() },
  /** Where the webhook receiver may listen: loopback and this machine's interface addresses. */
  'settings:webhookAddresses': { request: none, response: custom<WebhookAddress[]>() },

  'credentials:set': {
    request: z
      .object({ clientId: z.string().trim().min(1).max(200), clientSecret: z.string().min(1).max(500) })
      .strict(),
    response: custom<EnvironmentInfo>(),
  },
  'credentials:test': { request: none, response: custom<{ result: CredentialsTestResult }>() },
  'credentials:clear': { request: none, response: custom<EnvironmentInfo>() },

  'update:status': { request: none, response: custom<UpdateStatus>() },
  /** Restart into the downloaded update now, or as soon as no payment is in flight. */
  'update:restart': { request: none, response: custom<UpdateStatus>() },
  /** Team mode: the shared PostgreSQL URL (kept encrypted like the Atlas secret, never shown again). */
  'credentials:setTeamDatabase': { request: z.object({ url: z.string().trim().min(1).max(2000) }).strict(), response: custom<EnvironmentInfo>() },
  /** Connects (and prepares the schema) with the given URL, or the stored one. */
  'credentials:testTeamDatabase': {
    request: z.object({ url: z.string().trim().min(1).max(2000).optional() }).strict(),
    response: custom<{ result: TeamTestResult }>(),
  },
  'credentials:clearTeamDatabase': { request: none, response: custom<EnvironmentInfo>() },
} as const;

export const pushes = {
  'orders:changed': custom<{ orderNos: string[] }>(),
  'queue:changed': custom<Job[]>(),
  'queue:leaseChanged': custom<QueueLeaseStatus>(),
  'queue:paceChanged': custom<QueuePace>(),
  'sync:changed': custom<SyncStatus>(),
  'env:changed': custom<EnvironmentInfo>(),
  'update:changed': custom<UpdateStatus>(),
  'team:changed': custom<TeamStatus>(),
  'storage:changed': custom<StorageStatus>(),
} as const;

export type Channel = keyof typeof channels;
export type Push = keyof typeof pushes;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type PushPayload<P extends Push> = z.output<(typeof pushes)[P]>;

// ---- Result envelope (docs/conventions.md "The result envelope") ----

export type IpcErrorCode =
  | 'invalid_request'
  | 'forbidden_sender'
  | 'not_found'
  | 'offline'
  | 'atlas_unauthorized'
  | 'atlas_rate_limited'
  | 'atlas_error'
  | 'no_credentials'
  | 'conflict'
  /** Staff answered "no" in a confirmation asked by main (e.g. a change of Atlas host); nothing changed. */
  | 'cancelled'
  /** The desk could not read or write its own database (storage:status says why). */
  | 'storage'
  | 'internal';

export interface IpcError {
  code: IpcErrorCode;
  /** English, for logs; the UI shows a translated sentence chosen by `code`. */
  message: string;
  /** Why the desk refused, when the refusal is about an order or a job: the window says it in words, as the CLI prints it. */
  reason?: RefusalReason;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

// ---- The renderer-facing API: `window.desk` ----

type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbsOf<D extends string> = Extract<Channel, `${D}:${string}`> extends `${D}:${infer V}` ? V : never;
type Method<C extends Channel> = (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;

/** `desk.orders.list(req)` for channel `orders:list`; `desk.on('queue:changed', fn)` for pushes. */
export type DeskApi = {
  [D in Domain<Channel>]: {
    [V in VerbsOf<D>]: `${D}:${V}` extends infer C extends Channel ? Method<C> : never;
  };
} & {
  on<P extends Push>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
};

/** Splits `domain:verb`. */
export function splitChannel(channel: string): [string, string] {
  const i = channel.indexOf(':');
  return [channel.slice(0, i), channel.slice(i + 1)];
}

// ---- Handlers: what main (and the browser-test bridge) implement for each channel ----

export type RequestIn<C extends Channel> = z.output<(typeof channels)[C]['request']>;

export type Handlers<C extends Channel = Channel> = {
  [K in C]: (request: RequestIn<K>) => Promise<ResponseOf<K>>;
};

/** Channels served by the desk core; the rest (env, settings, credentials, update) belong to the shell. */
export type CoreChannel = Exclude<Channel, `env:${string}` | `settings:${string}` | `credentials:${string}` | `update:${string}`>;
/** The app updater's channels (electron/shell/update-banner.ts). */
export type UpdateChannel = Extract<Channel, `update:${string}`>;
export type ShellChannel = Exclude<Channel, CoreChannel | UpdateChannel>;
