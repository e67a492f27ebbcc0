// Lint keeps the process boundaries of docs/architecture.md "Layers inside electron/":
// shared/ imports no electron, node:*, DOM-bound or network code; renderer/ imports only shared/
// (and its own UI libraries); electron/ never imports renderer/.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const LAYERS = ['store', 'atlas', 'simulator', 'core', 'team', 'cli', 'shell'];

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'test/artifacts/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', ...nodeBuiltins], message: 'shared/ is pure TypeScript: no electron or node:* imports.' },
            { group: ['axios', 'react', 'react-dom', 'react/*', 'zustand', 'i18next', 'react-i18next'], message: 'shared/ imports no network or DOM-bound libraries.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing else in the project.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', ...nodeBuiltins, 'axios'], message: 'renderer/ talks only to window.desk; it imports no electron, node or network code.' },
            { group: ['**/electron/**', '**/test/**'], message: 'renderer/ imports only shared/ from the project.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'fetch', 'XMLHttpRequest', 'WebSocket', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }] },
      ],
    },
  },
  // Layers inside electron/: each folder lists the sibling folders it may import. The store, the
  // Atlas client and the simulator stand alone; the core builds on the client and the store; only the
  // composition roots (shell, cli, main.ts) put everything together. Only the shell imports electron.
  ...Object.entries({
    store: [],
    atlas: [],
    simulator: [],
    core: ['atlas', 'store'],
    team: ['atlas', 'core', 'store'],
    cli: ['atlas', 'core', 'simulator', 'store', 'team'],
    shell: ['atlas', 'core', 'simulator', 'store', 'team'],
  }).map(([layer, allowed]) => ({
    files: [`electron/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(layer === 'shell'
              ? []
              : [{ group: ['electron', 'electron/*', 'electron-store'], message: 'The desk core runs in plain Node: inject Electron adapters from electron/main.ts.' }]),
            { group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' },
            ...LAYERS.filter((other) => other !== layer && !allowed.includes(other)).map((other) => ({
              group: [`../${other}/*`, `../${other}/**`, `**/electron/${other}/**`],
              message: `electron/${layer} may import only ${allowed.length > 0 ? allowed.map((a) => `electron/${a}`).join(', ') : 'shared/'} from the project (layers: docs/architecture.md).`,
            })),
          ],
        },
      ],
    },
  })),
);
