// Which Atlas the client talks to. Training mode (environment 'training', or no credentials yet)
// uses the embedded simulator on 127.0.0.1 port 0, started lazily, and stopped on quit or as soon
// as the desk leaves Training: its control routes (/__sim/*, guarded by a per-launch token nobody
// outside this process knows) must never listen while the desk works against a real Atlas.
// Sandbox and Production go to the Atlas hosts in settings, or — only when staff switched it on —
// to the agency proxy; the credentials passed in are the ones bound to that target (secrets.ts).
import type { AtlasConnection } from '../atlas/api.ts';
import { isAtlasRequestUrl, sameOrigin } from '../../shared/atlas-host.ts';
import type { Environment, Settings } from '../../shared/ipc.ts';
import type { CredentialTarget, Credentials } from './secrets.ts';

export interface SimulatorHandle {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void> | void;
}

export type StartSimulator = (options: { port: 0; host: '127.0.0.1' }) => Promise<SimulatorHandle>;

export function isTraining(settings: Pick<Settings, 'environment'>, credentials: Credentials | null): boolean {
  return settings.environment === 'training' || credentials === null;
}

/**
 * Where credentials entered now would be sent: production, else sandbox (so credentials:test from
 * training probes sandbox); the agency proxy instead of the Atlas host when it is switched on.
 */
export function credentialTarget(settings: Settings): CredentialTarget {
  const environment = settings.environment === 'production' ? 'production' : 'sandbox';
  if (settings.atlasProxy.enabled) return { environment, baseUrl: settings.atlasProxy.url };
  return { environment, baseUrl: environment === 'production' ? settings.productionBaseUrl : settings.sandboxBaseUrl };
}

/** The real Atlas (or the agency proxy) for these settings. */
export function realConnection(settings: Settings, credentials: Credentials): AtlasConnection {
  const { baseUrl } = credentialTarget(settings);
  const searchBaseUrl = settings.atlasProxy.enabled || settings.environment !== 'production' ? baseUrl : settings.productionSearchBaseUrl;
  return { baseUrl, searchBaseUrl, ...credentials };
}

/**
 * The Atlas client's last check before a request carries credentials: an Atlas host by the host
 * rule, or the proxy staff switched on. Decided on the URL actually being sent.
 */
export function mayReceiveCredentials(settings: Settings): (url: string) => boolean {
  const proxy = settings.atlasProxy;
  return proxy.enabled ? (url) => sameOrigin(url, proxy.url) : isAtlasRequestUrl;
}

/** Mode key: decides which core/database is live. */
export function modeOf(settings: Pick<Settings, 'environment'>, credentials: Credentials | null): 'training' | Exclude<Environment, 'training'> {
  return isTraining(settings, credentials) ? 'training' : (settings.environment as Exclude<Environment, 'training'>);
}

export interface ConnectionManager {
  /** Re-reads settings and credentials; starts the simulator when training needs it. */
  refresh(): Promise<void>;
  /** The connection for the next request (the client calls this per request). */
  current(): AtlasConnection;
  /** Whether a request to `url` may carry the current connection's credentials. */
  allows(url: string): boolean;
  training(): boolean;
  stop(): Promise<void>;
}

export function createConnectionManager(options: {
  settings: () => Settings;
  credentials: () => Credentials | null;
  startSimulator: StartSimulator;
}): ConnectionManager {
  let simulator: SimulatorHandle | null = null;
  let starting: Promise<SimulatorHandle> | null = null;
  let connection: AtlasConnection | null = null;
  let allows: (url: string) => boolean = () => false;
  let training = true;

  const ensureSimulator = async () => {
    if (simulator) return simulator;
    starting ??= options.startSimulator({ port: 0, host: '127.0.0.1' });
    simulator = await starting;
    return simulator;
  };

  const stopSimulator = async () => {
    const sim = simulator ?? (starting ? await starting : null);
    simulator = null;
    starting = null;
    if (sim) await sim.stop();
  };

  return {
    async refresh() {
      const settings = options.settings();
      const credentials = options.credentials();
      training = isTraining(settings, credentials);
      if (training) {
        const sim = await ensureSimulator();
        connection = { baseUrl: sim.baseUrl, searchBaseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret };
        allows = (url) => sameOrigin(url, sim.baseUrl);
      } else {
        connection = realConnection(settings, credentials as Credentials);
        allows = mayReceiveCredentials(settings);
        await stopSimulator();
      }
    },
    current() {
      if (!connection) throw Object.assign(new Error('Atlas connection not ready'), { code: 'no_credentials' });
      return connection;
    },
    allows: (url) => allows(url),
    training: () => training,
    stop: stopSimulator,
  };
}
