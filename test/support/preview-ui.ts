// Look at the built renderer in real Chromium with the fake desk: builds dist/, serves it on
// 127.0.0.1, injects the fake via addInitScript and saves screenshots of every screen (light, dark,
// English, Chinese) into test/artifacts/screenshots/.  Run: node test/support/preview-ui.ts
import { createServer } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');
const out = join(root, 'test/artifacts/screenshots');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

async function bundleFake(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, lib: { entry: join(root, 'test/support/fake-desk-global.ts'), formats: ['iife'], name: 'FakeDesk' }, minify: false },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const o of outputs) if ('output' in o) for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  throw new Error('no fake bundle');
}

async function main() {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  const fakeCode = await bundleFake();
  await mkdir(out, { recursive: true });

  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(dist, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': TYPES[extname(path || '.html')] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems: string[] = [];
  const shoot = async (name: string, opts: { locale: string; dark?: boolean; fake?: object }, act: (p: Page) => Promise<void>) => {
    const fakeOptions = { extraOrders: 0, ...opts.fake };
    const context = await browser.newContext({ locale: opts.locale, colorScheme: opts.dark ? 'dark' : 'light', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('favicon.ico') && problems.push(`${name}: ${m.text()}`));
    page.on('requestfailed', (r) => problems.push(`${name}: ${r.url()} failed`));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${name}: ${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
    await page.addInitScript(`window.__FAKE_DESK_OPTIONS__ = ${JSON.stringify(fakeOptions)};`);
    await page.addInitScript(fakeCode);
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-testid^="row-"]').first().waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: join(out, `${name}-FAILED.png`) });
      problems.push(await page.evaluate(async () => { try { return JSON.stringify(await window.desk!.env.get({})).slice(0, 200); } catch (e) { return String((e as Error).stack); } }));
      throw new Error(`${name}: the list never showed (${problems.join('; ')})`, { cause: e });
    });
    await act(page);
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(out, `${name}.png`) });
    await context.close();
  };

  await shoot('orders-en-light', { locale: 'en-US', fake: { extraOrders: 60 } }, async () => {});
  await shoot('orders-en-dark', { locale: 'en-US', dark: true }, async (p) => {
    await p.getByTestId('row-TA2611260010').click();
    await p.getByTestId('timeline').waitFor();
  });
  await shoot('orders-zh-light', { locale: 'zh-CN', fake: { environment: { online: false } } }, async (p) => {
    await p.getByTestId('row-TA2611260001').click();
    await p.getByTestId('timeline').waitFor();
  });
  await shoot('recover-card-en', { locale: 'en-US' }, async (p) => {
    await p.getByTestId('row-TA2611260001').click();
    await p.getByTestId('detail-recover').click();
    await p.getByTestId('choose-card').click();
    await p.getByTestId('card-cardNumber').fill('4532015112830367');
    await p.getByTestId('card-submit').click();
  });
  await shoot('recover-deposit-zh-dark', { locale: 'zh-CN', dark: true }, async (p) => {
    await p.keyboard.press('j');
    await p.keyboard.press('j');
    await p.keyboard.press('d');
    await p.getByTestId('deposit-summary').waitFor();
  });
  await shoot('bulk-en', { locale: 'en-US', fake: { balances: { USD: 500 } } }, async (p) => {
    for (const no of ['TA2611260001', 'TA2611260003', 'TA2611260009', 'TA2611260010']) await p.getByTestId(`row-${no}`).getByRole('checkbox').click();
    await p.getByTestId('tab-unpaid').click();
    await p.getByTestId('row-TA2611260007').getByRole('checkbox').click();
    await p.keyboard.press('d');
    await p.getByTestId('bulk-totals').waitFor();
  });
  await shoot('bulk-results-en', { locale: 'en-US' }, async (p) => {
    for (const no of ['TA2611260001', 'TA2611260003']) await p.getByTestId(`row-${no}`).getByRole('checkbox').click();
    await p.keyboard.press('d');
    await p.getByTestId('bulk-confirm').click();
    await p.waitForTimeout(1700);
  });
  await shoot('queue-en', { locale: 'en-US' }, async (p) => {
    for (const no of ['TA2611260001', 'TA2611260003', 'TA2611260010']) await p.getByTestId(`row-${no}`).getByRole('checkbox').click();
    await p.keyboard.press('d');
    await p.getByTestId('bulk-confirm').click();
    await p.keyboard.press('Escape');
    await p.getByTestId('nav-queue').click();
  });
  await shoot('history-zh', { locale: 'zh-CN' }, async (p) => {
    await p.getByTestId('nav-history').click();
    await p.getByTestId('history-TA2611260001').getByRole('button').click();
    await p.getByTestId('timeline').waitFor();
  });
  await shoot('reports-en', { locale: 'en-US' }, async (p) => {
    await p.getByTestId('nav-reports').click();
    await p.getByTestId('report-body').waitFor();
  });
  await shoot('reports-zh-dark', { locale: 'zh-CN', dark: true }, async (p) => {
    await p.getByTestId('nav-reports').click();
    await p.getByTestId('report-failures').scrollIntoViewIfNeeded();
  });
  await shoot('reports-time-en-dark', { locale: 'en-US', dark: true }, async (p) => {
    await p.getByTestId('nav-reports').click();
    await p.getByTestId('report-time').scrollIntoViewIfNeeded();
  });
  await shoot('settings-en-dark', { locale: 'en-US', dark: true }, async (p) => {
    await p.getByTestId('nav-settings').click();
  });
  await shoot('update-ready-en', { locale: 'en-US', fake: { update: { state: 'ready', version: '0.2.0' } } }, async () => {});
  await shoot('update-waiting-zh-dark', { locale: 'zh-CN', dark: true, fake: { update: { state: 'ready', version: '0.2.0' } } }, async (p) => {
    await p.getByTestId('row-TA2611260001').getByRole('checkbox').click();
    await p.keyboard.press('d');
    await p.getByTestId('bulk-confirm').click();
    await p.keyboard.press('Escape');
    await p.getByTestId('update-restart').click();
    await p.getByText('0.2.0').waitFor();
  });
  await shoot('add-orders-en', { locale: 'en-US' }, async (p) => {
    await p.getByTestId('add-orders').click();
    await p.getByTestId('add-text').fill('TA2611260301\nZZ1234567890, bad!');
    await p.getByTestId('add-submit').click();
    await p.getByTestId('add-result').waitFor();
  });
  await shoot('shortcuts-en', { locale: 'en-US' }, async (p) => {
    await p.keyboard.press('?');
  });

  await browser.close();
  server.close();
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
  console.log(`screenshots in ${out}`);
}

await main();
