// The app:// protocol serves the built renderer and nothing else, always with the CSP header.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, resolveAppPath } from '../../electron/shell/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security.ts';
import { removeDir, tempDir } from '../support/temp-dir.ts';

let base: string;
let root: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = tempDir('desk-app-protocol-').dir;
  root = path.join(base, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>desk</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  // Files right next to dist/: what a traversal would reach.
  fs.writeFileSync(path.join(base, 'secret.txt'), 'not for the window');
  fs.mkdirSync(path.join(base, 'dist-evil'));
  fs.writeFileSync(path.join(base, 'dist-evil', 'x.js'), 'evil');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
  handler = createAppProtocolHandler({ root, csp: CONTENT_SECURITY_POLICY });
});
afterAll(() => removeDir(base));

const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme with no CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(APP_INDEX_URL).toBe('app://desk/index.html');
  });

  it('serves index.html and assets with the CSP header and the right content type', async () => {
    for (const url of ['app://desk/index.html', 'app://desk/', 'app://desk/index.html?x=1#/queue']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toBe('<!doctype html><title>desk</title>');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const js = await get('app://desk/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'app://desk/../../etc/passwd',
    'app://desk/../secret.txt',
    'app://desk/%2e%2e/secret.txt',
    'app://desk/%2E%2E/%2e%2e/etc/passwd',
    'app://desk/..%2fsecret.txt',
    'app://desk/..%2Fsecret.txt',
    'app://desk/..%5csecret.txt',
    'app://desk/assets/..%2f..%2fsecret.txt',
    'app://desk/.%2e/secret.txt',
    'app://desk/%252e%252e/secret.txt',
    'app://desk/index.html%00.js',
    'app://desk/../dist-evil/x.js',
    'app://desk/link.txt',
    'app://desk/assets',
    'app://desk/missing.js',
    'app://evil/index.html',
    'app://desk:8080/index.html',
  ])('serves nothing for %s, still with the CSP header', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/not for the window|evil|root:/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses anything but GET', async () => {
    expect((await get('app://desk/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('resolves only paths inside the root, by the parsed and decoded path', () => {
    expect(resolveAppPath('app://desk/assets/index-abc.js', root)).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath('app://desk/..%2fsecret.txt', root)).toBeNull();
    expect(resolveAppPath('file:///etc/passwd', root)).toBeNull();
    expect(resolveAppPath('https://desk/index.html', root)).toBeNull();
    expect(resolveAppPath('app://desk/%E0%A4%A', root)).toBeNull();
    expect(resolveAppPath('app://user@desk/index.html', root)).toBeNull();
  });
});
