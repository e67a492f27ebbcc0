// `npm run dist:release -- [electron-builder options]`: the installers agencies get. Unlike
// `npm run dist` (local builds may stay unsigned), a release must be signed (forceCodeSigning:
// electron-builder fails instead of shipping an unsigned app), must publish to an https feed,
// and pins the Windows publisher that electron-updater checks every downloaded installer against.
// The checks are a pure function (releaseArgs) so test/shell/builder-config.test.ts can prove them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export class ReleaseError extends Error {}

/** Whether these electron-builder options build for Windows (explicitly, or by default on a Windows host). */
export function buildsWindows(args: readonly string[], hostPlatform: string): boolean {
  const platformFlags = ['--win', '-w', '--windows', '--mac', '-m', '--macos', '-o', '--linux', '-l'];
  const named = args.filter((arg) => platformFlags.includes(arg));
  return named.length === 0 ? hostPlatform === 'win32' : named.some((arg) => arg === '--win' || arg === '-w' || arg === '--windows');
}

/** electron-builder arguments for a release, or a ReleaseError saying what is missing. */
export function releaseArgs(env: Record<string, string | undefined>, args: readonly string[], hostPlatform: string): string[] {
  const feed = env.ATLAS_DESK_UPDATE_URL?.trim();
  let url: URL | null = null;
  try {
    url = feed ? new URL(feed) : null;
  } catch {
    url = null;
  }
  if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    throw new ReleaseError('ATLAS_DESK_UPDATE_URL must be the https:// address of the update feed');
  }
  const out = ['--config', 'electron-builder.yml', '-c.forceCodeSigning=true'];
  if (buildsWindows(args, hostPlatform)) {
    const publisher = env.ATLAS_DESK_WIN_PUBLISHER?.trim();
    if (!publisher) throw new ReleaseError('ATLAS_DESK_WIN_PUBLISHER must name the Windows signing certificate\'s publisher, exactly as in the certificate');
    out.push(`-c.win.signtoolOptions.publisherName=${publisher}`);
  }
  return [...out, ...args];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    const args = releaseArgs(process.env, process.argv.slice(2), process.platform);
    // Its JS entry under this Node: no shell, so a publisher name with spaces stays one argument.
    const builder = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
    const result = spawnSync(process.execPath, [builder, ...args], { cwd: root, stdio: 'inherit' });
    process.exit(result.status ?? 1);
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
