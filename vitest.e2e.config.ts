import { defineConfig } from 'vitest/config';

// Browser end-to-end tests (docs/architecture.md "Test tiers"): the BUILT renderer (dist/, made by
// `vite build` in `npm run test:e2e`) in Debian's Chromium via playwright-core, its window.desk
// wired to the real desk core in this process, which talks to the real simulator over HTTP. One
// file at a time: each file starts its own simulator, core and browser, and the machines have two
// cores.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // A browser test that fails is re-run by a human with the screenshots; never silently retried.
    retry: 0,
    reporters: ['default'],
  },
});
