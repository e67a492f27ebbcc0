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
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/renderer/**'] },
      },
      {
        extends: true,
        test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], environment: 'jsdom' },
      },
    ],
  },
});
