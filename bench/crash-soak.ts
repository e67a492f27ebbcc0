// Long crash-kill soak: test/core/queue.crash.test.ts with ≥ 1,000 mid-work kills of one process and
// ≥ 200 of two processes sharing one database file. Prints the kill counts, the kills per moment
// and the attention rate (the test's own lines), and the wall time.
// Usage: node bench/crash-soak.ts [kills=1000] [duoKills=200]
import { spawnSync } from 'node:child_process';

const kills = process.argv[2] ?? '1000';
const duoKills = process.argv[3] ?? '200';
const started = performance.now();
const result = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'test/core/queue.crash.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, CRASH_KILLS: kills, CRASH_DUO_KILLS: duoKills },
});
console.log(`crash-soak: ${Math.round((performance.now() - started) / 1000)} s wall time`);
process.exit(result.status ?? 1);
