// startSimulator: wires clock, engine, faults, webhooks, scenario and the HTTP server together.
// See README.md for the map and docs/atlas-api.md for the behaviour modelled.
import { randomBytes } from 'node:crypto';
import { SimClock } from './clock.ts';
import { defaultSwitches, SimEngine } from './engine.ts';
import { FaultBook } from './faults.ts';
import { SimHttpServer } from './http.ts';
import { isTicketingOutcome } from './orders.ts';
import { createRng } from './rng.ts';
import { seedTraining } from './scenario.ts';
import { SIM_ENDPOINTS, type RequestRecord, type RunningSimulator, type SimEndpoint, type SimSwitches, type SimulatorControl, type SimulatorOptions } from './types.ts';
import { WebhookSender } from './webhooks.ts';

export type * from './types.ts';
export { REGEN_PAYABLE_REFUSED_STATUS, REGEN_WINDOW_CLOSED_STATUS } from './engine.ts';
export { TRAINING_BALANCES, type TrainingCase } from './scenario.ts';
export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './http.ts';

export const TRAINING_CLIENT_ID = 'TRAINING_api_1';
export const TRAINING_CLIENT_SECRET = 'training-secret-not-for-production';

/** How often the running clock checks for due ticketing (real ms). */
const SWEEP_INTERVAL_MS = 200;

function validateSwitches(patch: Partial<SimSwitches>): void {
  const maps = [patch.ticketingOutcomeByAirline, patch.ticketingOutcomeByOrder];
  for (const map of maps) {
    if (map === undefined) continue;
    for (const v of Object.values(map)) if (!isTicketingOutcome(v)) throw new Error(`invalid ticketing outcome ${String(v)}`);
  }
  if (patch.ticketingDelayMs !== undefined && !(patch.ticketingDelayMs >= 0)) throw new Error('ticketingDelayMs must be >= 0');
  const regenerated = patch.regeneratedTicketingOutcome;
  if (regenerated !== undefined && regenerated !== null && !isTicketingOutcome(regenerated)) throw new Error(`invalid ticketing outcome ${String(regenerated)}`);
  if (patch.atlasClockOffsetMs !== undefined && !Number.isFinite(patch.atlasClockOffsetMs)) throw new Error('atlasClockOffsetMs must be a finite number');
  if (patch.regenerateFareDelta !== undefined && !(Number.isFinite(patch.regenerateFareDelta) && patch.regenerateFareDelta > -1)) {
    throw new Error('regenerateFareDelta must be a number above -1');
  }
  for (const [endpoint, ms] of Object.entries(patch.latencyMs ?? {})) {
    if (!(SIM_ENDPOINTS as readonly string[]).includes(endpoint)) throw new Error(`latencyMs: unknown endpoint ${endpoint}`);
    if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`latencyMs.${endpoint} must be a number >= 0`);
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const clientId = options.clientId ?? TRAINING_CLIENT_ID;
  const clientSecret = options.clientSecret ?? TRAINING_CLIENT_SECRET;
  const startTime = options.startTime ?? Date.now();
  const clock = new SimClock(startTime, options.clock ?? 'running');
  // Separate streams so webhook drops or regenerations never shift the scenario's orders.
  const scenarioRng = createRng(seed);
  const engineRng = createRng(seed + 0x51ed);
  const webhooks = new WebhookSender(createRng(seed + 0x3ebb), () => clock.now());
  const engine = new SimEngine({
    clock,
    rng: engineRng,
    clientId,
    switches: defaultSwitches(options.ticketingDelayMs ?? 5000),
    webhook: (body) => webhooks.send(body),
  });
  if ((options.scenario ?? 'training') === 'training') seedTraining(engine, scenarioRng, startTime);
  const faults = new FaultBook();
  const records: RequestRecord[] = [];

  const control: SimulatorControl = {
    now: () => clock.now(),
    advanceClock: (ms) => {
      clock.advance(ms);
      engine.sweep();
    },
    setFault: (endpoint, fault, opts) => faults.set(endpoint, fault, opts),
    clearFaults: () => faults.clear(),
    setSwitches: (patch) => {
      validateSwitches(patch);
      engine.switches = { ...engine.switches, ...patch };
      engine.sweep();
    },
    switches: () => structuredClone(engine.switches),
    createOrder: (spec) => structuredClone(engine.createOrder(spec)),
    rebookByHand: (orderNo, spec) => structuredClone(engine.rebookByHand(orderNo, spec)),
    order: (orderNo) => {
      const o = engine.orders.get(orderNo);
      return o ? structuredClone(o) : undefined;
    },
    orders: () => [...engine.orders.values()].map((o) => structuredClone(o)),
    setBalance: (currency, amount) => {
      if (!Number.isFinite(amount)) throw new Error('amount must be a finite number');
      engine.balances.set(currency.toUpperCase(), amount);
    },
    balance: (currency) => engine.balances.get(currency.toUpperCase()) ?? 0,
    ledger: () => structuredClone(engine.ledgerEntries),
    paymentsFor: (orderNo) => engine.paymentsFor(orderNo),
    requests: (endpoint?: SimEndpoint, orderNo?: string) =>
      structuredClone(records.filter((r) => (endpoint === undefined || endpoint === null || r.endpoint === endpoint) && (orderNo === undefined || r.orderNo === orderNo))),
    setWebhook: (url, opts) => webhooks.configure(url, opts),
    webhookDeliveries: () => webhooks.deliveries(),
    flushWebhooks: () => webhooks.flush(),
  };

  // New for every launch: only whoever started this simulator can drive it over HTTP.
  const controlToken = options.controlToken ?? randomBytes(24).toString('base64url');
  const http = new SimHttpServer({
    engine,
    faults,
    clientId,
    clientSecret,
    controlToken,
    records,
    control: control as unknown as Record<string, (...args: unknown[]) => unknown>,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await http.listen(options.port ?? 0, host);
  const sweeper = clock.mode === 'running' ? setInterval(() => engine.sweep(), SWEEP_INTERVAL_MS) : null;
  sweeper?.unref();
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let stopping: Promise<void> | null = null;
  return {
    baseUrl: `http://${urlHost}:${port}`,
    clientId,
    clientSecret,
    controlToken,
    control,
    stop: () => {
      stopping ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        await http.close();
        await webhooks.stop();
      })();
      return stopping;
    },
  };
}
