// The shortcut table (lib/shortcuts.ts) is the only source: every row of the "?" overlay comes from
// it, every entry has a listener bound while its screen is up and words in both languages; and the
// one dispatcher keeps keys where they belong (dialogs, fields, "g" sequences).
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/components/App.tsx';
import { Dialog } from '../../renderer/src/components/Dialog.tsx';
import { ShortcutsOverlay } from '../../renderer/src/components/ShortcutsOverlay.tsx';
import { createI18n } from '../../renderer/src/i18n.ts';
import { boundShortcuts, SHORTCUTS, useShortcuts } from '../../renderer/src/lib/shortcuts.ts';
import { useUi } from '../../renderer/src/stores/ui.ts';
import { useHarness } from './harness.tsx';

const rowNos = () => screen.queryAllByTestId(/^row-/).map((r) => r.getAttribute('data-testid')!.slice(4));

describe('keyboard shortcuts', () => {
  const h = useHarness();

  it.each(['en', 'zh-CN'] as const)('the overlay (%s) shows one row per table label, each with every key of that label', (language) => {
    h.renderUi(<ShortcutsOverlay onClose={() => undefined} />, { language });
    const i18n = createI18n(language);
    const rows = [...screen.getByTestId('shortcuts').querySelectorAll('dl.shortcuts > div')].map((row) => ({
      keys: row.querySelector('kbd')?.textContent ?? '',
      words: row.querySelector('dd')?.textContent ?? '',
    }));
    const labels = [...new Set(SHORTCUTS.map((s) => s.label))];
    // No row of its own: exactly the table's labels, in table order.
    expect(rows.map((r) => r.words)).toEqual(labels.map((l) => i18n.t(l)));
    for (const s of SHORTCUTS) {
      const row = rows.find((r) => r.words === i18n.t(s.label))!;
      const shown = row.keys.split(' / ');
      for (const k of s.keys) {
        const text = typeof k === 'string' ? k.replace(/^Shift\+ $/, 'Shift+Space').replace(/^ $/, 'Space').replace('Escape', 'Esc').replace('ArrowDown', '↓').replace('ArrowUp', '↑') : k.join(' ');
        expect(shown, `${s.action} in ${language}`).toContain(text);
      }
    }
  });

  it('every entry has words in English and in Chinese, and they differ', () => {
    const en = createI18n('en');
    const zh = createI18n('zh-CN');
    for (const s of SHORTCUTS) {
      expect(en.exists(s.label), s.label).toBe(true);
      expect(zh.exists(s.label), s.label).toBe(true);
      expect(zh.t(s.label)).not.toBe(en.t(s.label));
    }
  });

  it('every entry has a listener: global, list and search keys on the orders screen, dialog keys in a dialog', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const onScreen = boundShortcuts();
    await user.keyboard('?');
    await screen.findByTestId('shortcuts');
    const inDialog = boundShortcuts();
    for (const s of SHORTCUTS) {
      const bound = s.scope === 'dialog' ? inDialog : onScreen;
      expect(bound.has(`${s.scope}:${s.action}`), `${s.scope}:${s.action}`).toBe(true);
    }
  });

  it('a dialog takes every key: no list or global shortcut fires behind it, Esc closes it', async () => {
    const user = userEvent.setup();
    let closed = 0;
    function Screen() {
      // A dialog that is not one of the app's named dialogs (like Settings' "new secret path?").
      return <Dialog title="Confirm" onClose={() => (closed += 1)}><button type="button">OK</button></Dialog>;
    }
    h.renderUi(<><App /><Screen /></>);
    await screen.findByTestId('row-TA2611260001');
    await user.keyboard('jx?');
    expect(useUi.getState().cursor).toBe(0);
    expect(useUi.getState().selected.size).toBe(0);
    expect(screen.queryByTestId('shortcuts')).toBeNull();
    await user.keyboard('{Escape}');
    expect(closed).toBe(1);
  });

  it('Shift+Space selects the range from the last selected row to the current one', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    const rows = rowNos();
    await user.keyboard('jx');
    await user.keyboard('jjj');
    await user.keyboard('{Shift>} {/Shift}');
    expect([...useUi.getState().selected].sort()).toEqual(rows.slice(1, 5).sort());
    expect(screen.getByTestId('selection-bar').textContent).toContain('4 orders selected');
  });

  it('"g s" goes to Settings and is not also "s" (sync); a letter after "g" that is no screen still works', async () => {
    const user = userEvent.setup();
    const { desk } = h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await user.keyboard('gj');
    expect(useUi.getState().cursor).toBe(1);
    await user.keyboard('gs');
    expect(useUi.getState().screen).toBe('settings');
    expect(desk.calls.some((c) => c.channel === 'orders:sync')).toBe(false);
  });

  it('in the search field, letters are typed, Esc clears and ↓ goes back to the list', async () => {
    const user = userEvent.setup();
    h.renderUi(<App />);
    await screen.findByTestId('row-TA2611260001');
    await user.keyboard('/');
    await user.keyboard('smith');
    const search = screen.getByTestId('search') as HTMLInputElement;
    expect(search.value).toBe('smith');
    expect(useUi.getState().selected.size).toBe(0);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByTestId('orders-table'));
    expect(search.value).toBe('smith');
    await user.click(search);
    await user.keyboard('{Escape}');
    expect(search.value).toBe('');
  });

  it('a component binds only the actions of its scope, and unbinds them when it goes', () => {
    function Probe() {
      useShortcuts('global', { help: () => undefined, goOrders: () => undefined, goQueue: () => undefined, goHistory: () => undefined, goSettings: () => undefined, goReports: () => undefined });
      return null;
    }
    const { unmount } = h.renderUi(<Probe />);
    expect([...boundShortcuts()].sort()).toEqual(SHORTCUTS.filter((s) => s.scope === 'global').map((s) => `global:${s.action}`).sort());
    act(() => unmount());
    expect(boundShortcuts().size).toBe(0);
  });
});
