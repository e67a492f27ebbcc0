// A desk that belongs to a team never starts on its own (docs/money-safety.md, team mode): when its
// stored team URL cannot be used at start it stays in its team, unavailable, and sends nothing.
// A CA file (sslrootcert) that cannot be read — moved, or on a network share not mounted yet — keeps
// the URL, and once the file is back the desk connects and pays exactly once; a stored URL this
// build reads differently keeps the desk waiting for staff. Real PostgreSQL with TLS (verify-full
// against the test CA), the real simulator, the same createDesk and team-secret box the app uses
// (electron/main.ts teamFor).
import fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAtlasClient } from '../../electron/atlas/client.ts';
import { createDesk } from '../../electron/core/desk.ts';
import type { SafeStorageLike } from '../../electron/shell/secrets.ts';
import { createTeamSecretBox } from '../../electron/shell/team-secret.ts';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { checkTeamDatabase } from '../../electron/team/team-db.ts';
import { createTeamSession } from '../../electron/team/team-session.ts';
import { makeTestCertificates } from '../../scripts/pg-cluster.ts';
import { fastSleep } from '../core/queue-harness.ts';
import { depositRequest, settled } from '../core/desk-support.ts';
import { describeTeam, useCluster } from '../support/team-cluster.ts';
import { orderB, startTestSimulator } from '../support/scenarios.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';
import { until } from './team-harness.ts';

const certDir = tempDir('desk-ca-certs-').dir;
const certs = makeTestCertificates(certDir);
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ seed: 7 });
  sim.control.setBalance('USD', 100_000);
});
afterAll(async () => {
  await sim?.stop();
  removeDir(certDir);
});

const safeStorage: SafeStorageLike = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decryptStringAsync: async (cipher: Buffer) => ({ result: Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'), shouldReEncrypt: false }),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

/** What main's createCore builds for a stored team URL (sleeps shortened: the prober's back-off). */
function teamDesk(url: string | null, dir: string, lines: string[]) {
  return createDesk({
    atlas: createAtlasClient({ connection: { baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret } }),
    environment: 'sandbox',
    databasePath: join(dir, 'desk.sqlite'),
    clock: { now: () => sim.control.now() },
    staffName: () => 'Lin Mei',
    osAccount: 'lin',
    sleep: fastSleep,
    team: createTeamSession({ url, staff: () => 'Lin Mei', retryMs: 100, pollMs: 50, timeoutMs: 2000, log: (l) => lines.push(l) }),
  });
}

describeTeam('a team desk whose CA file cannot be read at start', () => {
  const cluster = useCluster({ tls: { cert: certs.cert, key: certs.key } });

  it('starts in team mode, unavailable; sends nothing; pays exactly once when the file is back', async () => {
    const tmp = tempDir('desk-ca-');
    const ca = join(tmp.dir, 'team-ca.pem');
    const moved = join(tmp.dir, 'team-ca.pem.away');
    fs.copyFileSync(certs.ca, ca);
    const { user, password, port } = cluster.current;
    const url = `postgres://${user}:${password}@localhost:${port}/team?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`;
    // The team's database exists and is prepared (another desk, or this one yesterday).
    await checkTeamDatabase(url);
    const filePath = join(tmp.dir, 'team-database.bin');
    await createTeamSecretBox({ safeStorage, platform: 'win32', filePath }).set(url);

    fs.renameSync(ca, moved);
    const lines: string[] = [];
    const box = createTeamSecretBox({ safeStorage, platform: 'win32', filePath, log: (l) => lines.push(l) });
    await box.load();
    expect(box.get()).toBe(url);
    expect(box.server()).toBe(`localhost:${port}/team`);

    const desk = teamDesk(box.get() as string, tmp.dir, lines);
    try {
      await desk.start();
      expect(await desk.handlers['team:status']({})).toEqual({ enabled: true, connected: false, server: `localhost:${port}/team`, holds: [], problem: 'ca_unreadable' });
      expect(lines.join('\n')).toMatch(/team: cannot prepare the team database yet: the CA file .*team-ca\.pem \(sslrootcert\) of the team database at localhost:\d+\/team cannot be read/);

      const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['CA/AWAY'] })).orderNo;
      await desk.handlers['orders:add']({ orderNos: [order], markFailed: false });
      const [job] = (await desk.handlers['recovery:deposit'](await depositRequest(desk, [order]))).jobs;
      await until(async () => (await desk.handlers['queue:list']({})).find((j) => j.id === job!.id)?.reason === 'team_offline', 'the job to wait for the team');
      expect((await desk.handlers['queue:list']({})).find((j) => j.id === job!.id)).toMatchObject({ state: 'waiting_network', reason: 'team_offline' });
      expect(sim.control.requests('regenerateOrder', order)).toHaveLength(0);
      expect(sim.control.requests('pay')).toHaveLength(0);

      fs.renameSync(moved, ca);
      const [done] = await settled(desk, [job!.id]);
      expect(done).toMatchObject({ state: 'done' });
      const regenerated = sim.control.orders().filter((o) => o.originalOrderNo === order);
      expect(regenerated).toHaveLength(1);
      expect(sim.control.paymentsFor(regenerated[0]!.orderNo)).toBe(1);
      expect(sim.control.paymentsFor(order)).toBe(0);
      await until(async () => (await desk.handlers['team:status']({})).connected, 'the team to show as connected');
      expect(await desk.handlers['team:status']({})).not.toHaveProperty('problem');
    } finally {
      await desk.stop();
      tmp.cleanup();
    }
  }, 60_000);
});

describe('a team desk whose saved URL cannot be decrypted at start', () => {
  it('stays in its team, unavailable, saying why: a job waits and nothing is sent', async () => {
    const tmp = tempDir('desk-undecryptable-');
    const lines: string[] = [];
    const desk = teamDesk(null, tmp.dir, lines);
    try {
      await desk.start();
      expect(await desk.handlers['team:status']({})).toEqual({ enabled: true, connected: false, server: null, holds: [], problem: 'stored_unreadable' });
      const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['LOST/KEY'] })).orderNo;
      await desk.handlers['orders:add']({ orderNos: [order], markFailed: false });
      const [job] = (await desk.handlers['recovery:deposit'](await depositRequest(desk, [order]))).jobs;
      await until(async () => (await desk.handlers['queue:list']({})).find((j) => j.id === job!.id)?.reason === 'team_offline', 'the job to wait for the team');
      expect(sim.control.requests('regenerateOrder', order)).toHaveLength(0);
      expect(sim.control.paymentsFor(order)).toBe(0);
    } finally {
      await desk.stop();
      tmp.cleanup();
    }
  });
});

describe('a team desk whose stored URL this build cannot use', () => {
  it('keeps the URL and stays in its team, unavailable: a job waits and nothing is sent', async () => {
    // Stored by an older build that read sslmode more loosely (any later stricter check alike).
    const url = 'postgres://desk:old-build-pa55@db.agency.example:5432/team?sslmode=prefer';
    const tmp = tempDir('desk-old-url-');
    const filePath = join(tmp.dir, 'team-database.bin');
    fs.writeFileSync(filePath, await safeStorage.encryptStringAsync(url));
    const lines: string[] = [];
    const box = createTeamSecretBox({ safeStorage, platform: 'win32', filePath, log: (l) => lines.push(l) });
    await box.load();
    expect(box.get()).toBe(url);
    // Still scrubbed from every answer and log line.
    expect(box.password()).toBe('old-build-pa55');
    const desk = teamDesk(url, tmp.dir, lines);
    try {
      await desk.start();
      expect(await desk.handlers['team:status']({})).toEqual({ enabled: true, connected: false, server: null, holds: [], problem: 'bad_url' });
      const order = sim.control.createOrder(orderB(sim.control.now(), { passengers: ['OLD/URL'] })).orderNo;
      await desk.handlers['orders:add']({ orderNos: [order], markFailed: false });
      const [job] = (await desk.handlers['recovery:deposit'](await depositRequest(desk, [order]))).jobs;
      await until(async () => (await desk.handlers['queue:list']({})).find((j) => j.id === job!.id)?.reason === 'team_offline', 'the job to wait for the team');
      expect(sim.control.requests('regenerateOrder', order)).toHaveLength(0);
      expect(sim.control.paymentsFor(order)).toBe(0);
      expect(lines.join('\n')).toMatch(/team: the team database URL cannot be used \(sslmode must be one of/);
      expect(lines.join('\n')).not.toContain('old-build-pa55');
    } finally {
      await desk.stop();
      tmp.cleanup();
    }
  });
});
