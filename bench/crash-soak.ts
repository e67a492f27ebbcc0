// Long crash-kill soak: the same test as test/core/crash.test.ts with more seeds and kills.
// Usage: node bench/crash-soak.ts [seeds=10] [killsPerSeed=25]
import { spawnSync } from 'node:child_process';

const seeds = process.argv[2] ?? '10';
const kills = process.argv[3] ?? '25';
const result = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'test/core/crash.test.ts', '--testTimeout', '3600000'], {
  stdio: 'inherit',
  env: { ...process.env, CRASH_SEEDS: seeds, CRASH_KILLS_PER_SEED: kills },
});
process.exit(result.status ?? 1);
