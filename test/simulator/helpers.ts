// Shared helpers for simulator tests: a manual-clock simulator and a plain-fetch Atlas caller.
import { CONTROL_TOKEN_HEADER, startSimulator, type RunningSimulator, type SimulatorOptions } from '../../electron/simulator/index.ts';

/** 2026-11-26 08:00:00Z = 16:00:00 SGT. */
export const T0 = Date.parse('2026-11-26T08:00:00Z');

export function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ scenario: 'empty', clock: 'manual', startTime: T0, ...options });
}

export interface Caller {
  (endpoint: string, body: unknown): Promise<Record<string, unknown>>;
}

export function caller(sim: RunningSimulator): Caller {
  return async (endpoint, body) => {
    const res = await fetch(`${sim.baseUrl}/${endpoint}.do`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-encoding': 'gzip',
        'x-atlas-client-id': sim.clientId,
        'x-atlas-client-secret': sim.clientSecret,
      },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
}

export async function control(sim: RunningSimulator, method: string, ...args: unknown[]): Promise<unknown> {
  const res = await fetch(`${sim.baseUrl}/__sim/${method}`, {
    method: 'POST',
    headers: { [CONTROL_TOKEN_HEADER]: sim.controlToken },
    body: JSON.stringify(args),
  });
  return res.json();
}
