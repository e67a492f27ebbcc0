// Keyboard-only use, end to end, in Chromium against the real core and simulator: every step is
// a key press (no clicks): sync, search, move, select, open, recover with deposit through to a
// result, the dialogs' focus trap and focus return, the shortcuts overlay, and keys typed into a
// field staying in the field.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskOrder } from '../../shared/desk.ts';
import type { E2E } from './harness.ts';
import { startE2E } from './harness.ts';
import { LONG, text, waitJob, waitSynced } from './ui.ts';

let e2e: E2E;

/** data-testid of the focused element ('' for none), and whether it sits inside an open dialog. */
async function focused(page: Page): Promise<{ testId: string; tag: string; inDialog: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testId: el?.getAttribute('data-testid') ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      inDialog: !!el?.closest('[role="dialog"]'),
    };
  });
}

const cursorRow = (page: Page) => page.locator('.grid-row.cursor').getAttribute('data-testid');

/** Presses Tab (or Shift+Tab) until the element with `testId` has focus, at most `max` times. */
async function tabTo(page: Page, testId: string, max = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)).testId === testId) return;
    await page.keyboard.press(key);
  }
  throw new Error(`Tab never reached ${testId}; focus is on ${JSON.stringify(await focused(page))}`);
}

/** Leaves focus on the page body, like a user who has just clicked on empty space. */
async function focusBody(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

beforeAll(async () => {
  e2e = await startE2E({ name: 'keyboard' });
  await e2e.open();
  const started = Date.now() - 1;
  await focusBody(e2e.page);
  await e2e.page.keyboard.press('s');
  await waitSynced(e2e, started);
  await e2e.page.getByTestId('orders-table').locator('[role="row"][aria-rowindex="2"]').waitFor();
});

afterAll(async () => {
  await e2e?.close();
});

afterEach(() => {
  expect(e2e.pageErrors.splice(0)).toEqual([]);
});

describe('keyboard-only use of the desk', () => {
  it('"/" focuses search; keys typed there stay in the field; Enter returns to the list with the filter kept', async () => {
    const { page } = e2e;
    await focusBody(page);
    await page.keyboard.press('/');
    expect((await focused(page)).testId).toBe('search');
    // Shortcut letters typed into the search box are text, not commands.
    const before = await cursorRow(page);
    await page.keyboard.type('jx?d');
    expect(await page.getByTestId('search').inputValue()).toBe('jx?d');
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    expect(await page.getByTestId('selection-bar').count()).toBe(0);
    // Esc in the box clears it and gives the keys back to the list.
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('search').inputValue()).toBe('');
    expect((await focused(page)).testId).not.toBe('search');
    expect(await cursorRow(page)).toBe(before);

    // Enter leaves the box but keeps the query, so the filtered list can be driven by keys.
    const failed = await e2e.call('orders:list', { scope: 'failed' });
    const target = failed[3] as DeskOrder;
    await page.keyboard.press('/');
    await page.keyboard.type(target.orderNo);
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('search').inputValue()).toBe(target.orderNo);
    expect((await focused(page)).testId).not.toBe('search');
    await expect.poll(() => cursorRow(page)).toBe(`row-${target.orderNo}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('order-detail').locator('h2').textContent(), LONG).toBe(target.orderNo);
    await page.keyboard.press('Escape');
    await page.getByTestId('order-detail').waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    await page.keyboard.press('Escape');
  });

  it('j/k move the cursor, x selects (announced with aria-selected), Enter opens the detail, Esc closes it', async () => {
    const { page } = e2e;
    await focusBody(page);
    const rows = page.locator('.order-grid [role="row"][data-testid^="row-"]');
    // The cleared search re-renders the list in a deferred render: wait for the whole list.
    await expect.poll(() => rows.count(), LONG).toBeGreaterThan(2);
    await expect.poll(async () => (await cursorRow(page)) === (await rows.nth(0).getAttribute('data-testid'))).toBe(true);
    const first = await rows.nth(0).getAttribute('data-testid');
    const second = await rows.nth(1).getAttribute('data-testid');
    expect(await cursorRow(page)).toBe(first);

    await page.keyboard.press('j');
    expect(await cursorRow(page)).toBe(second);
    // The grid tells assistive technology which row the cursor is on.
    const active = await page.getByTestId('orders-table').getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    expect(await page.locator(`[id="${active}"]`).getAttribute('data-testid')).toBe(second);
    await page.keyboard.press('k');
    expect(await cursorRow(page)).toBe(first);

    await page.keyboard.press('x');
    expect(await page.getByTestId(first!).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('selection-bar').textContent()).toContain(text('en', 'orders.selected', { count: 1 }));
    await page.keyboard.press('x');
    expect(await page.getByTestId(first!).getAttribute('aria-selected')).toBe('false');
    expect(await page.getByTestId('selection-bar').count()).toBe(0);

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('order-detail').locator('h2').textContent()).toBe(first!.slice('row-'.length));
    await page.keyboard.press('Escape');
    await page.getByTestId('order-detail').waitFor({ state: 'detached' });
  });

  it('Enter and Space on a focused control do what the control says, not a list shortcut', async () => {
    const { page } = e2e;
    // From the search box, back through the toolbar: one stop per control.
    await page.keyboard.press('/');
    await tabTo(page, 'add-orders', 3, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('add-dialog').waitFor();
    expect(await page.getByTestId('order-detail').count()).toBe(0);
    // Focus is in the box, and what is typed there stays there.
    expect((await focused(page)).testId).toBe('add-text');
    await page.keyboard.type('j k x ? d');
    expect(await page.getByTestId('add-text').inputValue()).toBe('j k x ? d');
    await page.keyboard.press('Escape');
    await page.getByTestId('add-dialog').waitFor({ state: 'detached' });
    // Back where the user was.
    expect((await focused(page)).testId).toBe('add-orders');

    // Space on a row's own checkbox selects THAT row, not the cursor's.
    const third = page.locator('.order-grid [role="row"][data-testid^="row-"]').nth(2);
    const thirdId = (await third.getAttribute('data-testid'))!;
    await third.locator('input[type="checkbox"]').focus();
    await page.keyboard.press(' ');
    expect(await third.getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('.order-grid [role="row"][aria-selected="true"]').count()).toBe(1);
    await page.keyboard.press(' ');
    expect(await page.getByTestId(thirdId).getAttribute('aria-selected')).toBe('false');
    await focusBody(page);
  });

  it('"d" opens recover with deposit; Tab and Shift+Tab stay inside; Enter on Pay recovers; Esc returns focus', async () => {
    const { page } = e2e;
    const failed = await e2e.call('orders:list', { scope: 'failed' });
    const balances = await e2e.call('balance:get', { currencies: ['USD'] });
    const usd = balances[0]?.amount ?? 0;
    const order = failed.find((o) => {
      const due = o.plan.methods.find((m) => m.paymentMethod === 1)?.dueFromDeposit;
      return o.category === 'A' && o.plan.action === 'pay_same_order' && due?.currency === 'USD' && due.amount < usd;
    });
    expect(order, 'an A order payable with USD deposit').toBeDefined();
    // Training's A orders show a card charge Atlas started: checked by staff first (rule 12).
    if (order!.details.paymentAttempted === true) await e2e.call('orders:confirmNotCharged', { orderNo: order!.orderNo });

    await focusBody(page);
    await page.keyboard.press('/');
    await page.keyboard.type(order!.orderNo);
    await page.keyboard.press('Enter');
    await expect.poll(() => cursorRow(page)).toBe(`row-${order!.orderNo}`);
    const before = await focused(page);
    await page.keyboard.press('d');
    await page.getByTestId('recover-dialog').waitFor();
    expect(await page.getByTestId('choose-deposit').isChecked()).toBe(true);
    expect((await focused(page)).inDialog).toBe(true);

    // The dialog is announced as a modal with a name.
    const dialog = page.locator('[role="dialog"]');
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const labelledBy = await dialog.getAttribute('aria-labelledby');
    expect(await page.locator(`[id="${labelledBy}"]`).textContent()).toContain(order!.orderNo);

    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f.inDialog, `Tab #${i + 1} left the dialog (focus on ${f.tag} ${f.testId})`).toBe(true);
      seen.add(f.testId || f.tag);
    }
    expect(seen).toContain('confirm-deposit');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      const f = await focused(page);
      expect(f.inDialog, `Shift+Tab #${i + 1} left the dialog (focus on ${f.tag} ${f.testId})`).toBe(true);
    }

    // Global and list shortcuts are off while a dialog is open.
    await page.keyboard.press('?');
    await page.keyboard.press('j');
    expect(await page.getByTestId('shortcuts').count()).toBe(0);

    await tabTo(page, 'confirm-deposit');
    await page.keyboard.press('Enter');
    await page.getByTestId('recover-result').waitFor({ timeout: 20_000 });
    const job = await waitJob(e2e, order!.orderNo);
    expect(job.state).toBe('done');

    await page.keyboard.press('Escape');
    await page.getByTestId('recover-dialog').waitFor({ state: 'detached' });
    const after = await focused(page);
    expect(after.inDialog).toBe(false);
    // Back on the list; the paid order has left it, so the (filtered) list now says it is empty.
    expect(before.testId).toBe('orders-table');
    expect(['orders-table', 'orders-empty']).toContain(after.testId);
    await page.keyboard.press('/');
    await page.keyboard.press('Escape');
  });

  it('"?" opens the shortcuts overlay, Esc closes it, and "g" + letter switches screens', async () => {
    const { page } = e2e;
    await focusBody(page);
    await page.keyboard.press('?');
    await page.getByTestId('shortcuts').waitFor();
    expect((await focused(page)).inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });

    for (const [key, screen] of [['q', 'queue'], ['h', 'history'], ['r', 'reports'], ['s', 'settings'], ['o', 'orders']] as const) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await expect.poll(() => page.getByTestId(`nav-${screen}`).getAttribute('aria-current')).toBe('page');
    }
    // "g s" went to Settings; it did not also start a sync.
    expect((await e2e.call('sync:status', {})).running).toBe(false);
  });

  it('shortcuts never fire while typing in the Settings form', async () => {
    const { page } = e2e;
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.getByTestId('settings-screen').waitFor();
    await page.getByTestId('settings-staff').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' g o ?');
    expect(await page.getByTestId('settings-staff').inputValue()).toBe('E2E Staff g o ?');
    expect(await page.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    await focusBody(page);
    await page.keyboard.press('g');
    await page.keyboard.press('o');
  });
});
