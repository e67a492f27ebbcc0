// The process and layer boundaries are lint rules (eslint.config.js); this proves the rules bite,
// so a config edit that silently drops one fails here rather than in review.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The restricted-import messages ESLint reports for `code` placed at `filePath`. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const importing = (from: string) => `import * as m from '${from}';\nexport const x = m;\n`;

describe('layers inside electron/', () => {
  it.each([
    ['electron/store/x.ts', '../core/desk.ts'],
    ['electron/store/x.ts', '../atlas/api.ts'],
    ['electron/atlas/x.ts', '../store/db.ts'],
    ['electron/simulator/x.ts', '../core/queue.ts'],
    ['electron/core/x.ts', '../shell/window.ts'],
    ['electron/core/x.ts', '../cli/args.ts'],
    ['electron/core/x.ts', '../simulator/index.ts'],
    ['electron/cli/x.ts', '../shell/settings.ts'],
  ])('%s may not import %s', async (file, from) => {
    expect(await restricted(file, importing(from))).toEqual([expect.stringContaining('may import only')]);
  });

  it.each([
    ['electron/core/x.ts', '../store/db.ts'],
    ['electron/core/x.ts', '../atlas/api.ts'],
    ['electron/cli/x.ts', '../core/desk.ts'],
    ['electron/shell/x.ts', '../core/desk.ts'],
    ['electron/store/x.ts', '../../shared/desk.ts'],
  ])('%s may import %s', async (file, from) => {
    expect(await restricted(file, importing(from))).toEqual([]);
  });
});

describe('process boundaries', () => {
  it('keeps electron out of the plain-Node layers and in the shell', async () => {
    expect(await restricted('electron/core/x.ts', importing('electron'))).not.toEqual([]);
    expect(await restricted('electron/store/x.ts', importing('electron-store'))).not.toEqual([]);
    expect(await restricted('electron/shell/x.ts', importing('electron'))).toEqual([]);
  });

  it('keeps shared/ pure and the renderer on window.desk', async () => {
    expect(await restricted('shared/x.ts', importing('node:fs'))).not.toEqual([]);
    expect(await restricted('shared/x.ts', importing('../electron/core/desk.ts'))).not.toEqual([]);
    expect(await restricted('renderer/src/x.ts', importing('axios'))).not.toEqual([]);
    expect(await restricted('renderer/src/x.ts', importing('../../electron/core/desk.ts'))).not.toEqual([]);
    expect(await restricted('electron/core/x.ts', importing('../../renderer/src/desk.ts'))).not.toEqual([]);
  });
});
