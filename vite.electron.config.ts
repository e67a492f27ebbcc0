// Builds the Electron side (npm run build runs it after the renderer build):
//   electron/main.ts    → dist-electron/main.js     ESM, dependencies left to node_modules
//   electron/preload.ts → dist-electron/preload.cjs one CommonJS file requiring only `electron`
//                         (a sandboxed preload cannot load anything else)
// Vite 8 bundles with Rolldown: externals live under build.rolldownOptions (rollupOptions is ignored).
// One config, two builds: the preload is built by a nested `build()` once main is written.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { build, defineConfig } from 'vite';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { dependencies?: Record<string, string> };
const outDir = fileURLToPath(new URL('./dist-electron', import.meta.url));

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const runtimeDeps = Object.keys(pkg.dependencies ?? {});
const isExternalForMain = (id: string) =>
  id === 'electron' || nodeBuiltins.includes(id) || runtimeDeps.some((dep) => id === dep || id.startsWith(`${dep}/`));

function preloadBuild(): Plugin {
  return {
    name: 'atlas-desk:preload',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          target: 'chrome140',
          minify: false,
          sourcemap: false,
          lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
          rolldownOptions: { external: ['electron'], output: { codeSplitting: false } },
        },
      });
    },
  };
}

export default defineConfig({
  root,
  publicDir: false,
  plugins: [preloadBuild()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'node24',
    minify: false,
    // No source maps next to main: they would ship the full main-process source in the package.
    sourcemap: false,
    ssr: true,
    lib: { entry: 'electron/main.ts', formats: ['es'], fileName: () => 'main.js' },
    rolldownOptions: { external: isExternalForMain },
  },
});
