// The CLI reaches Atlas like the app does through net.fetch: through the proxy the environment
// names (HTTPS_PROXY / HTTP_PROXY, NO_PROXY) and trusting the OS certificate store. Everything
// stays on this machine: the proxy below only counts and refuses, and the "Atlas" behind TLS is
// the simulator on 127.0.0.1 with a certificate from a CA made for the test.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proxyEnvFrom } from '../../electron/cli/network.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { orderB, startTestSimulator } from '../support/scenarios.ts';
import { tempDir } from '../support/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../electron/cli/desk-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function desk(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A proxy that forwards nothing: it records what it was asked for and refuses (nothing leaves the machine). */
async function countingProxy() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let data: ReturnType<typeof tempDir>;
let proxy: Awaited<ReturnType<typeof countingProxy>>;
let sim: RunningSimulator | null = null;
const stops: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  data = tempDir('desk-cli-network-');
  proxy = await countingProxy();
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  unreachableAtlas = `https://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterEach(async () => {
  await proxy.stop();
  await sim?.stop();
  sim = null;
  for (const stop of stops.splice(0)) await stop();
  data.cleanup();
});

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: data.dir, DESK_DATA_DIR: join(data.dir, 'desk-data') });
/**
 * An https "Atlas" on this machine where nothing listens (a port just closed; fetch refuses the
 * well-known ones like 9): through the proxy it is a CONNECT the proxy refuses; should the CLI ever
 * bypass the proxy, the attempt still never leaves the machine.
 */
let unreachableAtlas = '';
const sandboxEnv = (baseUrl: string, creds = { clientId: 'agency', clientSecret: 'not-a-real-secret' }): Record<string, string> => ({
  ...baseEnv(),
  ATLAS_ENV: 'sandbox',
  // A local stand-in for Atlas is reached as the agency proxy: the Atlas host rule refuses it as ATLAS_BASE_URL.
  ATLAS_PROXY_URL: baseUrl,
  ATLAS_CLIENT_ID: creds.clientId,
  ATLAS_CLIENT_SECRET: creds.clientSecret,
});

describe('desk CLI behind a proxy', () => {
  it('sends Atlas traffic through the proxy named by HTTPS_PROXY (a CONNECT tunnel to the Atlas host)', async () => {
    const run = await desk(['sync'], { ...sandboxEnv(unreachableAtlas), HTTPS_PROXY: proxy.url });
    // The proxy refused the tunnel: the sync stops as it does whenever Atlas cannot be reached.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Sync stopped (network)');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${new URL(unreachableAtlas).host}`]));
  });

  it('takes the lower-case https_proxy over HTTPS_PROXY, like curl', async () => {
    const run = await desk(['sync'], { ...sandboxEnv(unreachableAtlas), HTTPS_PROXY: 'http://127.0.0.1:1', https_proxy: proxy.url });
    expect(run.code).toBe(1);
    expect(proxy.seen).toContain(`CONNECT ${new URL(unreachableAtlas).host}`);
  });

  it('honours NO_PROXY for a local simulator standing in for Sandbox', async () => {
    sim = await startTestSimulator();
    sim.control.createOrder(orderB(sim.control.now() - 60_000));
    const env = { ...sandboxEnv(sim.baseUrl, sim), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    // Without NO_PROXY the request goes to the proxy (Node tunnels plain http too), which refuses it…
    const proxied = await desk(['sync'], env);
    expect(proxied.code).toBe(1);
    expect(proxy.seen).toContain(`CONNECT ${new URL(sim.baseUrl).host}`);
    // …with it, straight to the simulator.
    const before = proxy.seen.length;
    const direct = await desk(['sync'], { ...env, NO_PROXY: 'localhost,127.0.0.1' });
    expect(direct).toMatchObject({ code: 0, stderr: '' });
    expect(direct.stdout).toContain('Need staff: 1 (B 1');
    expect(proxy.seen.length).toBe(before);
  });

  it('never sends Training traffic to a proxy: the embedded simulator is this process', async () => {
    const run = await desk(['failed', '--json'], { ...baseEnv(), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).length).toBeGreaterThan(0);
    expect(proxy.seen).toEqual([]);
  });

  it('says where it connects with DESK_DEBUG=1, without the proxy password', async () => {
    const withUser = proxy.url.replace('http://', 'http://desk:hunter2@');
    const run = await desk(['sync'], { ...sandboxEnv(unreachableAtlas), HTTPS_PROXY: withUser, NO_PROXY: 'intranet.example', DESK_DEBUG: '1' });
    expect(run.stderr).toMatch(/network: https 127\.0\.0\.1:\d+, http direct, no proxy for "intranet\.example", \d+ system certificates trusted/);
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('proxy settings read from the environment', () => {
  it('keeps staff NO_PROXY and adds what the CLI serves itself', () => {
    expect(proxyEnvFrom({ HTTPS_PROXY: 'http://p:8080', NO_PROXY: '.corp.example' }, ['127.0.0.1'])).toEqual({
      HTTPS_PROXY: 'http://p:8080',
      NO_PROXY: '.corp.example,127.0.0.1',
    });
    expect(proxyEnvFrom({ http_proxy: 'http://a:1', HTTP_PROXY: 'http://b:2', no_proxy: 'x', NO_PROXY: 'y' })).toEqual({ HTTP_PROXY: 'http://a:1', NO_PROXY: 'x' });
    expect(proxyEnvFrom({ HTTPS_PROXY: '  ' })).toEqual({ NO_PROXY: '' });
  });
});

// SSL_CERT_FILE is how OpenSSL, and so Node on Linux, is told where the system's certificates are.
describe.runIf(process.platform === 'linux')('desk CLI and the system certificate store', () => {
  it('trusts an Atlas certificate issued by a CA that only the OS store knows', async () => {
    const dir = data.dir;
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Desk Test Root CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'atlas.key', '-out', 'atlas.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'atlas.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'atlas.pem', '-days', '2', '-extfile', 'san.cnf');

    sim = await startTestSimulator();
    sim.control.createOrder(orderB(sim.control.now() - 60_000));
    const target = new URL(sim.baseUrl);
    // TLS in front of the simulator, as an agency's TLS-inspecting gateway would present it.
    const front = https.createServer({ key: readFileSync(join(dir, 'atlas.key')), cert: readFileSync(join(dir, 'atlas.pem')) }, (req, res) => {
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise<void>((resolve) => (front.closeAllConnections(), front.close(() => resolve()))));
    const env = sandboxEnv(`https://127.0.0.1:${(front.address() as AddressInfo).port}`, sim);

    // Node's bundled CAs alone do not know the test root…
    const untrusted = await desk(['sync'], env);
    expect(untrusted.code).toBe(1);
    // …the OS store does.
    const trusted = await desk(['sync'], { ...env, SSL_CERT_FILE: join(dir, 'ca.pem') });
    expect(trusted).toMatchObject({ code: 0, stderr: '' });
    expect(trusted.stdout).toContain('Need staff: 1 (B 1');
  });
});
