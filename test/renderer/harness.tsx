// Shared set-up for renderer component tests: `window.desk` on the real desk stack
// (test/support/test-desk.ts: the real core and simulator behind the real DeskApi builder),
// English/Chinese i18n, fresh stores, and a layout stub so the virtualized table renders rows in
// jsdom (which has no layout).
import { cleanup, configure, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { Language } from '../../shared/ipc.ts';
import { setDesk } from '../../renderer/src/desk.ts';
import { createI18n } from '../../renderer/src/i18n.ts';
import { resetStores } from '../../renderer/src/stores/connect.ts';
import { createTestDesk, disposeWorlds, NOW, type TestDesk, type TestDeskOptions } from '../support/test-desk.ts';

export { NOW };

// The desk starts a simulator and a core and syncs before the first answer: waits are for conditions,
// with room for a loaded machine.
configure({ asyncUtilTimeout: 15_000 });

for (const [prop, value] of [['clientHeight', 800], ['clientWidth', 1200], ['offsetHeight', 800], ['offsetWidth', 1200]] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
}

export interface Harness {
  /** The desk of the current test (after renderUi). */
  desk(): TestDesk;
  renderUi(ui: ReactElement, opts?: { language?: Language; desk?: TestDeskOptions }): RenderResult & { desk: TestDesk };
}

export function useHarness(): Harness {
  let current: TestDesk | null = null;
  beforeEach(() => {
    resetStores();
  });
  afterEach(async () => {
    cleanup();
    setDesk(null);
    await current?.close();
    current = null;
  });
  afterAll(disposeWorlds);
  return {
    desk: () => {
      if (!current) throw new Error('render first');
      return current;
    },
    renderUi(ui, opts = {}) {
      current = createTestDesk(opts.desk);
      setDesk(current.api);
      const i18n = createI18n(opts.language ?? 'en');
      const result = render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
      return Object.assign(result, { desk: current });
    },
  };
}
