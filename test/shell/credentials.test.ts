import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasError } from '../../electron/atlas/api.ts';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { startSimulator } from '../../electron/simulator/index.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { classifyCredentialsTest, testCredentials } from '../../electron/shell/credentials.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1' });
});
afterAll(() => sim.stop());

const probeAt = (baseUrl: string) => (credentials: { clientId: string; clientSecret: string }) =>
  createAtlasClient({ connection: { baseUrl, ...credentials }, timeouts: { readMs: 2000 } }).balance('USD');

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('credentials test against the simulator over HTTP', () => {
  it('says ok for the right id and secret', async () => {
    expect(await testCredentials({ clientId: sim.clientId, clientSecret: sim.clientSecret }, probeAt(sim.baseUrl))).toBe('ok');
  });

  it('says wrong_credentials for a wrong secret', async () => {
    expect(await testCredentials({ clientId: sim.clientId, clientSecret: 'nope' }, probeAt(sim.baseUrl))).toBe('wrong_credentials');
  });

  it('says unreachable when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await testCredentials({ clientId: sim.clientId, clientSecret: sim.clientSecret }, probeAt(url))).toBe('unreachable');
  });

  it('says wrong_credentials when none are stored, without calling Atlas', async () => {
    let called = false;
    expect(await testCredentials(null, async () => (called = true))).toBe('wrong_credentials');
    expect(called).toBe(false);
  });
});

describe('credentials test classification', () => {
  const err = (failure: ConstructorParameters<typeof AtlasError>[0]) => new AtlasError(failure);
  it.each([
    [err({ kind: 'server', endpoint: 'balance', httpStatus: 403 }), 'ip_not_whitelisted'],
    [err({ kind: 'business', endpoint: 'balance', code: 902 }), 'ip_not_whitelisted'],
    [err({ kind: 'business', endpoint: 'balance', code: 900 }), 'wrong_credentials'],
    [err({ kind: 'unauthorized', endpoint: 'balance' }), 'wrong_credentials'],
    [err({ kind: 'timeout', endpoint: 'balance' }), 'unreachable'],
    [err({ kind: 'network', endpoint: 'balance' }), 'unreachable'],
    [err({ kind: 'rate_limited', endpoint: 'balance' }), 'error'],
    [err({ kind: 'invalid_response', endpoint: 'balance' }), 'error'],
    [new Error('boom'), 'error'],
  ])('classifies %s as %s', (error, expected) => {
    expect(classifyCredentialsTest(error)).toBe(expected);
  });
});
