// Shared set-up for renderer component tests: a fake desk, English/Chinese i18n, fresh stores,
// and a layout stub so the virtualized table renders rows in jsdom (which has no layout).
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach } from 'vitest';
import type { Language } from '../../shared/ipc.ts';
import { setDesk } from '../../renderer/src/desk.ts';
import { createI18n } from '../../renderer/src/i18n.ts';
import { resetStores } from '../../renderer/src/stores/connect.ts';
import { createFakeDesk, type FakeDesk, type FakeDeskOptions } from '../support/fake-desk.ts';

/** Fixed "now" so deadlines and countdowns are deterministic. */
export const NOW = Date.parse('2026-11-26T06:00:00Z');

for (const [prop, value] of [['clientHeight', 800], ['clientWidth', 1200], ['offsetHeight', 800], ['offsetWidth', 1200]] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
}

export function useHarness(): { fake: () => FakeDesk; renderUi: (ui: ReactElement, opts?: { language?: Language; desk?: FakeDeskOptions }) => RenderResult & { fake: FakeDesk } } {
  let current: FakeDesk | null = null;
  beforeEach(() => {
    resetStores();
  });
  afterEach(() => {
    cleanup();
    setDesk(null);
    current = null;
  });
  return {
    fake: () => {
      if (!current) throw new Error('render first');
      return current;
    },
    renderUi(ui, opts = {}) {
      current = createFakeDesk({ now: NOW, ...opts.desk });
      setDesk(current.api);
      const i18n = createI18n(opts.language ?? 'en');
      const result = render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
      return Object.assign(result, { fake: current });
    },
  };
}
