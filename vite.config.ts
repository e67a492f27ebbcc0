// Renderer build only (the Electron main/preload build is vite.electron.config.ts).
// base './': Electron serves dist/ on app://desk/ (electron/shell/app-protocol.ts); relative URLs also
// work behind the browser tests' static server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // No inline module preload polyfill: CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
