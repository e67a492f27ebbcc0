// Runs every benchmark in bench/ one after another, each in its own process so that peak-memory
// figures stay per benchmark. Not part of `npm test`: these machines are shared and noisy, so the
// benchmarks print ratios against a baseline measured in the same run instead of asserting times.
// Usage: npm run bench [-- <name>…]   (names: store, reports, recovery, bulk-pace, ui-table, team)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const all = ['store', 'reports', 'recovery', 'bulk-pace', 'ui-table', 'team'];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  const file = fileURLToPath(new URL(`./${name}.bench.ts`, import.meta.url));
  if (!existsSync(file)) {
    console.error(`bench: no benchmark called "${name}" (choose from: ${all.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
