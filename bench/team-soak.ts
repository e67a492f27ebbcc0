// Long team-mode soak: test/team/team-proof.test.ts (2 then 5 desk processes, random SIGKILLs, a
// PostgreSQL restart) with `scale` times the kills.
// Usage: node bench/team-soak.ts [scale=5]
import { spawnSync } from 'node:child_process';

const scale = process.argv[2] ?? '5';
const result = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'test/team/team-proof.test.ts', '--testTimeout', '3600000'], {
  stdio: 'inherit',
  env: { ...process.env, TEAM_PROOF_KILLS: scale },
});
process.exit(result.status ?? 1);
