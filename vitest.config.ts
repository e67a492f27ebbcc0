import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Unit and integration tests: Node for everything but renderer component tests (jsdom).
// `electron` is aliased to a stub so main-process modules load without the Electron binary.
export default defineConfig({
  resolve: {
    alias: { electron: fileURLToPath(new URL('./test/support/electron-stub.ts', import.meta.url)) },
  },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    server: { deps: { inline: ['electron-store', 'conf'] } },
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/renderer/**', 'test/cli/**'] },
      },
      {
        // Each CLI test runs the CLI as child processes (Node start-up, a simulator, a database):
        // seconds each on a busy 2-core machine, so they get a minute. They wait on the process, not on time.
        extends: true,
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
    ],
  },
});
