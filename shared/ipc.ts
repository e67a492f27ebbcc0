// The one IPC contract (DESIGN.md §4.1). Every invoke channel maps to a zod request schema and a
// response type; every push channel to its payload type. The preload (`window.desk`), the main-side
// registrar and the browser-test bridge are all derived from `channels` / `pushes`, so adding a
// channel here without a handler is a compile error.
//
// Requests come from the renderer and are untrusted: they are validated in full. Responses come
// from our own main process: their schemas are `z.custom` type carriers, not re-validated.
import { z } from 'zod';
import type { CardDetails, Money } from './atlas.ts';
import type { DeskOrder, Job, SyncStatus, TimelineEvent } from './desk.ts';
import type { Plan } from './plan.ts';

// ---- Building blocks ----

const orderNo = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{6,40}$/, 'order number: 6–40 capital letters and digits');
const currency = z.string().regex(/^[A-Z]{3}$/);
const isoInstant = z.iso.datetime({ offset: true });

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
  queueConcurrency: number;
  /** Minutes; 0 turns periodic sync off. */
  syncIntervalMinutes: number;
  webhook: { enabled: boolean; host: string; port: number };
}

export const settingsPatchSchema = z
  .object({
    environment: z.enum(['training', 'sandbox', 'production']),
    sandboxBaseUrl: z.url({ protocol: /^https$/ }),
    productionBaseUrl: z.url({ protocol: /^https$/ }),
    productionSearchBaseUrl: z.url({ protocol: /^https$/ }),
    staffName: z.string().trim().max(80),
    language: z.enum(['en', 'zh-CN']).nullable(),
    queueConcurrency: z.number().int().min(1).max(16),
    syncIntervalMinutes: z.number().int().min(0).max(24 * 60),
    webhook: z.object({
      enabled: z.boolean(),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535),
    }),
  })
  .partial()
  .strict();

export interface EnvironmentInfo {
  environment: Environment;
  /** Training mode: the embedded simulator, no real bookings. */
  training: boolean;
  online: boolean;
  credentialsConfigured: boolean;
  /** Where the client secret lives: encrypted by the OS, or in memory for this session only. */
  secretStorage: 'encrypted' | 'memory_only' | 'none';
  /** Settings were reset because the file was unreadable (the old file was kept). */
  settingsRecovered: boolean;
  /** The desk's database was unreadable: it was moved aside to this path and a new one started. */
  databaseRecoveredFrom: string | null;
  appVersion: string;
}

export type CredentialsTestResult = 'ok' | 'wrong_credentials' | 'unreachable' | 'ip_not_whitelisted' | 'error';

export interface DepositPreview {
  /** Per settlement currency: what the eligible orders need against the deposit balance. */
  totals: { currency: string; due: number; balance: number | null; orders: number }[];
  eligible: string[];
  /** Orders that cannot be recovered with deposit, and why (a planner reason/warning code). */
  ineligible: { orderNo: string; reason: string }[];
}

/** The webhook receiver: the URL (with its secret token) staff register in ATRIP, when it runs. */
export interface WebhookStatus {
  enabled: boolean;
  url: string | null;
  /** Why it is not running although enabled (e.g. the port is taken). */
  error: string | null;
}

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

export interface HistoryQuery {
  search?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export interface HistoryEntry {
  order: DeskOrder;
  lastEventAt: string;
}

// ---- Channels ----

const custom = <T>() => z.custom<T>(() => true);
const none = z.object({}).strict();

export const channels = {
  'env:get': { request: none, response: custom<EnvironmentInfo>() },

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
  'recovery:deposit': {
    request: z.object({ orderNos: z.array(orderNo).min(1).max(500) }).strict(),
    response: custom<{ jobs: Job[]; rejected: { orderNo: string; reason: string }[] }>(),
  },
  'recovery:card': {
    request: z.object({ orderNo, card: cardSchema }).strict(),
    response: custom<Job>(),
  },

  'queue:list': { request: none, response: custom<Job[]>() },
  'queue:cancel': { request: z.object({ jobId: z.string().min(1).max(64) }).strict(), response: custom<Job>() },
  'queue:provideCard': {
    request: z.object({ jobId: z.string().min(1).max(64), card: cardSchema }).strict(),
    response: custom<Job>(),
  },
  /** Whether this desk or another desk process on the same database runs the queue. */
  'queue:lease': { request: none, response: custom<QueueLeaseStatus>() },

  'webhook:status': { request: none, response: custom<WebhookStatus>() },

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
    request: z.object({ since: isoInstant.optional(), until: isoInstant.optional() }).strict(),
    response: custom<{ saved: boolean; path: string | null; rows: number }>(),
  },

  'settings:get': { request: none, response: custom<Settings>() },
  'settings:update': { request: settingsPatchSchema, response: custom<Settings>() },

  'credentials:set': {
    request: z
      .object({ clientId: z.string().trim().min(1).max(200), clientSecret: z.string().min(1).max(500) })
      .strict(),
    response: custom<EnvironmentInfo>(),
  },
  'credentials:test': { request: none, response: custom<{ result: CredentialsTestResult }>() },
  'credentials:clear': { request: none, response: custom<EnvironmentInfo>() },
} as const;

export const pushes = {
  'orders:changed': custom<{ orderNos: string[] }>(),
  'queue:changed': custom<Job[]>(),
  'queue:leaseChanged': custom<QueueLeaseStatus>(),
  'sync:changed': custom<SyncStatus>(),
  'env:changed': custom<EnvironmentInfo>(),
} as const;

export type Channel = keyof typeof channels;
export type Push = keyof typeof pushes;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;
export type PushPayload<P extends Push> = z.output<(typeof pushes)[P]>;

// ---- Result envelope (DESIGN.md §4.2) ----

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
  | 'internal';

export interface IpcError {
  code: IpcErrorCode;
  /** English, for logs; the UI shows a translated sentence chosen by `code`. */
  message: string;
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

/** Channels served by the desk core; the rest (env, settings, credentials) belong to the shell. */
export type CoreChannel = Exclude<Channel, `env:${string}` | `settings:${string}` | `credentials:${string}`>;
export type ShellChannel = Exclude<Channel, CoreChannel>;
