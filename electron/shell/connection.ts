// Which Atlas the client talks to. Training mode (environment 'training', or no credentials yet)
// uses the embedded simulator on 127.0.0.1 port 0, started lazily, and stopped on quit or as soon
// as the desk leaves Training: its control routes (/__sim/*, guarded by a per-launch token nobody
// outside this process knows) must never listen while the desk works against a real Atlas.
import type { AtlasConnection } from '../atlas/api.ts';
import type { Environment, Settings } from '../../shared/ipc.ts';
import type { Credentials } from './secrets.ts';

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

/** The real Atlas for these settings: production, else sandbox (so credentials:test from training probes sandbox). */
export function realConnection(settings: Settings, credentials: Credentials): AtlasConnection {
  return settings.environment === 'production'
    ? { baseUrl: settings.productionBaseUrl, searchBaseUrl: settings.productionSearchBaseUrl, ...credentials }
    : { baseUrl: settings.sandboxBaseUrl, searchBaseUrl: settings.sandboxBaseUrl, ...credentials };
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
      } else {
        connection = realConnection(settings, credentials as Credentials);
        await stopSimulator();
      }
    },
    current() {
      if (!connection) throw Object.assign(new Error('Atlas connection not ready'), { code: 'no_credentials' });
      return connection;
    },
    training: () => training,
    stop: stopSimulator,
  };
}
