// A throwaway PostgreSQL cluster for team-mode tests, benches and `npm run team-db`: initdb in a temp
// folder, a free port on 127.0.0.1, password authentication over TCP, stopped by its PID. Postgres
// refuses to run as root, so under root the cluster runs as the `postgres` system user (Debian's
// package creates it); otherwise as the current user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN_ROOT = '/usr/lib/postgresql';

/** The newest PostgreSQL server binaries on this machine (`PG_BIN` overrides), or null. */
export function findPgBin(): string | null {
  const candidates = process.env.PG_BIN ? [process.env.PG_BIN] : [];
  if (existsSync(BIN_ROOT)) {
    const versions = readdirSync(BIN_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(BIN_ROOT, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) ?? null;
}

export interface TlsFiles {
  /** PEM server certificate and key (the key is copied into the cluster with mode 0600). */
  cert: string;
  key: string;
}

export interface ClusterOptions {
  tls?: TlsFiles;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

export interface PgCluster {
  /** postgres://desk:<password>@127.0.0.1:<port>/team */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dir: string;
  /** PID of the running postmaster (0 while stopped). */
  pid(): number;
  /** Fast shutdown (SIGINT) by PID; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops it and deletes the folder. */
  destroy(): Promise<void>;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Under root: the `postgres` user; otherwise null (run as ourselves). */
function runAs(): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('pg-cluster: running as root but there is no `postgres` user to run the cluster as (apt-get install postgresql creates it)');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pg-cluster: postgres exited during start-up:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`pg-cluster: postgres did not accept connections within 60 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error('pg-cluster: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'desk-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  const user = 'desk';
  const password = randomBytes(12).toString('hex');
  const chown = (path: string) => {
    if (owner) chownSync(path, owner.uid, owner.gid);
  };
  chmodSync(dir, 0o700);
  chown(dir);
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chown(pwfile);
  const spawnOptions = { ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), cwd: dir };
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...spawnOptions, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg-cluster: initdb failed: ${init.stderr || init.stdout}`);
  }
  rmSync(pwfile, { force: true });
  mkdirSync(sockets, { mode: 0o700 });
  chown(sockets);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: sockets,
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'off',
    max_connections: '300',
    shared_buffers: '32MB',
    ...options.settings,
  };
  if (options.tls) {
    const cert = join(dir, 'server.crt');
    const key = join(dir, 'server.key');
    copyFileSync(options.tls.cert, cert);
    copyFileSync(options.tls.key, key);
    chmodSync(key, 0o600);
    chown(cert);
    chown(key);
    Object.assign(settings, { ssl: 'on', ssl_cert_file: cert, ssl_key_file: key });
  }
  const port = await freePort();
  // The database the desks use; created once below through the local socket.
  const url = `postgres://${user}:${password}@127.0.0.1:${port}/team`;
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    output = '';
    const proc = spawn(join(bin, 'postgres'), args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    proc.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child = proc;
    await waitUntilReady(adminUrl, proc, () => output);
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGINT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE team');
    await admin.end();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    user,
    password,
    dir,
    pid: () => child?.pid ?? 0,
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A CA and a server certificate for 127.0.0.1/localhost (openssl), for verify-full tests.
 * Returns the PEM paths; the folder is the caller's to delete.
 */
export function makeTestCertificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Desk Test CA', '-keyout', 'ca.key', '-out', 'ca.crt']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt']);
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}
