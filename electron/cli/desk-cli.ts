// `npm run desk -- <command>`: the headless desk for agency IT and scripts (./README.md).
// The same core as the app, configured from the environment. Every failure ends as one line on
// stderr and a documented exit code; no stack traces, and the client secret is scrubbed from output.
import { homedir, userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CardDetails } from '../../shared/atlas.ts';
import { failureOf } from '../atlas/api.ts';
import { DeskError } from '../core/desk-error.ts';
import { parseCommand, USAGE, type Command } from './args.ts';
import { parseCard, readStdin, wipeCard } from './card-input.ts';
import { promptCard } from './card-prompt.ts';
import { runCommand, type DeskCommand, type Io } from './commands.ts';
import { configFromEnv, type CliConfig } from './config.ts';
import { EXIT, UsageError, type ExitCode } from './errors.ts';
import { useSystemNetwork } from './network.ts';
import { openSession } from './session.ts';

function username(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** One line, whatever went wrong, with the exit code it deserves. */
function describe(error: unknown, config: CliConfig | null): { line: string; code: ExitCode } {
  if (error instanceof UsageError) return { line: error.message, code: EXIT.usage };
  const failure = failureOf(error);
  if (failure) {
    const { kind } = failure;
    const message = (error as Error).message;
    if (kind === 'unauthorized') return { line: `Atlas refused the credentials (${message})`, code: EXIT.usage };
    if (kind === 'network' || kind === 'timeout') {
      const where = config?.proxyUrl ?? config?.baseUrl;
      return { line: `cannot reach Atlas${where ? ` at ${where}` : ''} (${kind})`, code: EXIT.partial };
    }
    return { line: message, code: EXIT.partial };
  }
  if (error instanceof DeskError) return { line: error.message, code: EXIT.partial };
  const message = error instanceof Error ? error.message : String(error);
  return { line: `internal error: ${message.split('\n')[0] ?? ''}`, code: EXIT.partial };
}

async function delegateToSimulator(args: string[]): Promise<void> {
  // The simulator's own CLI reads process.argv and keeps running until Ctrl+C.
  const script = fileURLToPath(new URL('../simulator/cli.ts', import.meta.url));
  process.argv = [process.argv[0] ?? 'node', script, ...args];
  await import('../simulator/cli.ts');
}

/** Returns the exit code, or null when the process must keep running (simulator). */
export async function main(argv: string[], io: Io): Promise<ExitCode | null> {
  let config: CliConfig | null = null;
  let command: Command;
  try {
    command = parseCommand(argv);
    if (command.name === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (command.name === 'simulator') {
      await delegateToSimulator(command.args);
      return null;
    }
    config = configFromEnv(process.env, homedir(), username());
  } catch (error) {
    const { line, code } = describe(error, config);
    io.err(`desk: ${line}`);
    return code;
  }
  const secret = config.clientSecret;
  const scrub = (text: string) => (secret ? text.split(secret).join('***') : text);
  const safeIo: Io = { out: (t) => io.out(scrub(t)), err: (t) => io.err(scrub(t)) };
  const deskCommand = command as DeskCommand;
  // Before anything talks to Atlas: the OS certificate store and the proxy environment, as the app
  // gets them from net.fetch. The Training simulator runs in this process on 127.0.0.1 over plain
  // http: never proxied, and no certificates to check.
  const training = config.environment === 'training';
  const network = useSystemNetwork(process.env, training ? { extraNoProxy: ['127.0.0.1'], trustSystemStore: false } : {});
  for (const warning of network.warnings) safeIo.err(`desk: ${warning}`);
  if (config.debug) {
    const via = (proxy: string | null) => proxy ?? 'direct';
    safeIo.err(`network: https ${via(network.httpsProxy)}, http ${via(network.httpProxy)}, no proxy for "${network.noProxy}", ${network.systemCertificates ?? 'no'} system certificates trusted`);
  }
  let card: CardDetails | undefined;
  const interrupted = new AbortController();
  const onSigint = () => {
    safeIo.err('desk: interrupted; unsettled jobs stay queued and resume on the next recover');
    interrupted.abort();
  };
  try {
    // Read and check the card before anything talks to Atlas: bad input must change nothing.
    if (deskCommand.name === 'recover' && deskCommand.method === 'card') {
      // A person at a terminal is asked (number and CVV not echoed); a script pipes JSON.
      card = process.stdin.isTTY
        ? await promptCard({ input: process.stdin, output: process.stderr }, config.environment)
        : parseCard(await readStdin(process.stdin), config.environment);
    }
    const session = await openSession(config, {
      // Only commands that pay run the queue: recover, and approve (staff's new approval).
      runQueue: deskCommand.name === 'recover' || deskCommand.name === 'approve',
      osAccount: username() || null,
      log: (line) => safeIo.err(line),
      ...(deskCommand.name === 'export-history' ? { exportPath: deskCommand.file } : {}),
    });
    process.once('SIGINT', onSigint);
    try {
      return await runCommand(deskCommand, session.desk, safeIo, {
        ...(card ? { card } : {}),
        signal: interrupted.signal,
        rememberMarked: session.rememberMarked,
        rememberNotCharged: session.rememberNotCharged,
      });
    } finally {
      process.off('SIGINT', onSigint);
      await session.close();
    }
  } catch (error) {
    const { line, code } = describe(error, config);
    safeIo.err(`desk: ${line}`);
    return code;
  } finally {
    if (card) wipeCard(card);
  }
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  // `desk failed | head`: a closed pipe is the reader's choice, not an error worth a stack trace.
  process.stdout.on('error', () => process.exit(EXIT.ok));
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(`${text}\n`);
  const code = await main(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr) });
  if (code !== null) {
    // Flush, then exit: idle keep-alive sockets must not hold a script for seconds.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
    process.exit(code);
  }
}
