// Look at the built renderer in real Chromium on the real desk: builds dist/, starts the browser-test
// desk (test/e2e/harness.ts: the desk stack on the Training simulator's world) and saves screenshots
// of every screen (light, dark, English, Chinese) into test/artifacts/screenshots/.
// Run: node test/support/preview-ui.ts
import { build } from 'vite';
import type { Page } from 'playwright-core';
import type { Language } from '../../shared/ipc.ts';
import { ROOT, SCREENSHOTS, startE2E } from '../e2e/harness.ts';
import { TYPED_CARD } from './cards.ts';

interface Shot {
  name: string;
  language: Language;
  dark?: boolean;
  /** Runs on the page once the list shows, before the picture. */
  act?: (page: Page, e2e: Awaited<ReturnType<typeof startE2E>>) => Promise<void>;
}

const rows = (page: Page) => page.locator('[data-testid^="row-"]');

const SHOTS: Shot[] = [
  { name: 'orders', language: 'en' },
  { name: 'orders-dark', language: 'en', dark: true, act: async (p) => (await rows(p).first().click(), p.getByTestId('timeline').waitFor()) },
  { name: 'orders-offline', language: 'zh-CN', act: async (p, e2e) => (e2e.setShellOnline(false), p.getByTestId('banner-offline').waitFor()) },
  {
    name: 'recover-card',
    language: 'en',
    act: async (p) => {
      await p.getByTestId('tab-B').click();
      await rows(p).first().click();
      await p.getByTestId('detail-recover').click();
      await p.getByTestId('choose-card').click();
      await p.getByTestId('card-cardNumber').fill('4532015112830367');
      await p.getByTestId('card-submit').click();
    },
  },
  {
    // A B order: Training's A orders first ask staff to check that the card was not charged.
    name: 'recover-deposit-dark',
    language: 'zh-CN',
    dark: true,
    act: async (p) => {
      await p.getByTestId('tab-B').click();
      await rows(p).first().click();
      await p.keyboard.press('d');
      await p.getByTestId('deposit-summary').waitFor();
    },
  },
  {
    name: 'bulk',
    language: 'en',
    act: async (p) => {
      await p.getByTestId('tab-B').click();
      for (let i = 0; i < 3; i++) await rows(p).nth(i).getByRole('checkbox').click();
      await p.keyboard.press('d');
      await p.getByTestId('bulk-totals').waitFor();
    },
  },
  {
    name: 'queue',
    language: 'en',
    act: async (p) => {
      await p.getByTestId('tab-B').click();
      for (let i = 0; i < 2; i++) await rows(p).nth(i).getByRole('checkbox').click();
      await p.keyboard.press('d');
      await p.getByTestId('bulk-confirm').click();
      await p.getByTestId('bulk-results').waitFor();
      await p.keyboard.press('Escape');
      await p.getByTestId('nav-queue').click();
    },
  },
  {
    name: 'recover-card-filled',
    language: 'zh-CN',
    act: async (p) => {
      await p.getByTestId('tab-B').click();
      await rows(p).first().click();
      await p.getByTestId('detail-recover').click();
      await p.getByTestId('choose-card').click();
      for (const [field, value] of Object.entries(TYPED_CARD)) if ((await p.getByTestId(`card-${field}`).count()) > 0) await p.getByTestId(`card-${field}`).fill(value);
    },
  },
  { name: 'history', language: 'zh-CN', act: async (p) => (await p.getByTestId('nav-history').click(), p.locator('.history-row').first().waitFor()) },
  { name: 'reports', language: 'en', act: async (p) => (await p.getByTestId('nav-reports').click(), p.getByTestId('reports-screen').waitFor()) },
  { name: 'settings-dark', language: 'en', dark: true, act: async (p) => (await p.getByTestId('nav-settings').click(), p.getByTestId('settings-screen').waitFor()) },
  { name: 'update-ready', language: 'en', act: async (p, e2e) => (e2e.stack.updateDownloaded('0.2.0'), p.getByTestId('banner-update').waitFor()) },
  {
    name: 'add-orders',
    language: 'en',
    act: async (p) => {
      await p.getByTestId('add-orders').click();
      await p.getByTestId('add-text').fill('ZZ1234567890, bad!');
      await p.getByTestId('add-submit').click();
      await p.getByTestId('add-result').waitFor();
    },
  },
  { name: 'shortcuts', language: 'en', act: async (p) => (await p.keyboard.press('?'), p.getByTestId('shortcuts').waitFor()) },
];

await build({ configFile: `${ROOT}/vite.config.ts`, logLevel: 'warn' });
const problems: string[] = [];
for (const shot of SHOTS) {
  const e2e = await startE2E({ name: `preview-${shot.name}`, settings: { language: shot.language }, colorScheme: shot.dark ? 'dark' : 'light' });
  try {
    await e2e.open();
    await e2e.call('orders:sync', {});
    await rows(e2e.page).first().waitFor();
    await shot.act?.(e2e.page, e2e);
    await e2e.shot(`preview-${shot.name}`, shot.language);
    problems.push(...e2e.pageErrors.map((e) => `${shot.name}: ${e}`));
  } finally {
    await e2e.close();
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
console.log(`screenshots in ${SCREENSHOTS}`);
