// A packaged desk holds the Atlas client secret and, during a payment, card numbers in main's
// memory and on the wire. Command-line switches that open a debugger, dump network traffic or TLS
// keys, or stop certificate checks would hand those to whoever started the app with them, so a
// packaged build refuses to start with any of them (the fuses already stop NODE_OPTIONS and
// ELECTRON_RUN_AS_NODE). Development runs keep them.

/** Chromium / Node switch names, lower-case, without the leading dashes. */
export const REFUSED_SWITCHES: ReadonlySet<string> = new Set([
  // debuggers
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'auto-open-devtools-for-tabs',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-wait',
  'inspect-publish-uid',
  'debug',
  'debug-brk',
  'debug-port',
  'js-flags',
  // launch Chromium's child processes — the network service among them, which holds the secret
  // header and card bodies in the clear — under any wrapper, e.g. a debugger or a tracer
  'renderer-cmd-prefix',
  'utility-cmd-prefix',
  'gpu-launcher',
  'zygote-cmd-prefix',
  'wait-for-debugger-children',
  // traffic and key dumps
  'log-net-log',
  'net-log-capture-mode',
  // startup/background tracing: its netlog category records what --log-net-log does
  'trace-startup',
  'enable-tracing',
  'trace-config-file',
  'trace-to-console',
  'enable-background-tracing',
  'enable-legacy-background-tracing',
  'ssl-key-log-file',
  'enable-logging',
  'v',
  'vmodule',
  // certificate checks and name resolution
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'ignore-urlfetcher-cert-requests',
  'allow-insecure-localhost',
  'host-rules',
  'host-resolver-rules',
  'disable-web-security',
]);

/**
 * Environment variables with the same effect, and when they take it: Chromium writes TLS keys to a
 * non-empty SSLKEYLOGFILE; Electron turns its internal logging on, as --enable-logging does, as
 * soon as ELECTRON_ENABLE_LOGGING exists, whatever its value (even empty).
 */
export const REFUSED_ENV: Readonly<Record<string, 'non_empty' | 'present'>> = Object.freeze({
  SSLKEYLOGFILE: 'non_empty',
  ELECTRON_ENABLE_LOGGING: 'present',
});

/**
 * The refused switches and variables present, as `--name` / `NAME`. Switches are read the way
 * Chromium reads them: `--name`, `-name`, and on Windows `/name`, any case, `=value` or not,
 * until a bare `--`. `hasSwitch` (app.commandLine.hasSwitch) is asked too, as Chromium parsed it.
 */
export function refusedStartupOptions(
  argv: readonly string[],
  platform: string,
  env: Record<string, string | undefined>,
  hasSwitch: (name: string) => boolean = () => false,
): string[] {
  const found = new Set<string>();
  const prefix = platform === 'win32' ? /^(?:--|-|\/)([^=]+)/ : /^(?:--|-)([^=]+)/;
  for (const arg of argv.slice(1)) {
    if (arg === '--') break;
    const name = prefix.exec(arg)?.[1]?.toLowerCase();
    if (name && REFUSED_SWITCHES.has(name)) found.add(`--${name}`);
  }
  for (const name of REFUSED_SWITCHES) if (hasSwitch(name)) found.add(`--${name}`);
  for (const [name, when] of Object.entries(REFUSED_ENV)) {
    const value = env[name];
    if (value !== undefined && (when === 'present' || value !== '')) found.add(name);
  }
  return [...found].sort();
}
