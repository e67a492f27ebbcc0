// `npm run simulator -- --port 8787 --seed 7 [--json]`: run the Training simulator standalone.
// With --json, stdout gets exactly one line {"baseUrl","clientId","clientSecret","controlToken"}
// (for scripts; the token drives POST /__sim/<method> and changes with every launch).
import { parseArgs } from 'node:util';
import { CONTROL_TOKEN_HEADER, startSimulator } from './index.ts';

interface CliArgs {
  port: number;
  seed: number;
  json: boolean;
  scenario: 'training' | 'empty';
}

function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      scenario: { type: 'string', default: 'training' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0-65535, got "${values.port}"`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  if (values.scenario !== 'training' && values.scenario !== 'empty') throw new Error('--scenario must be training or empty');
  return { port, seed, json: values.json, scenario: values.scenario };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const sim = await startSimulator({ port: args.port, seed: args.seed, scenario: args.scenario });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ baseUrl: sim.baseUrl, clientId: sim.clientId, clientSecret: sim.clientSecret, controlToken: sim.controlToken })}\n`);
  } else {
    console.log(`Atlas simulator (Training, seed ${args.seed}) listening on ${sim.baseUrl}`);
    console.log(`  x-atlas-client-id:     ${sim.clientId}`);
    console.log(`  x-atlas-client-secret: ${sim.clientSecret}`);
    console.log(`  control: POST ${sim.baseUrl}/__sim/<method> with a JSON array of arguments`);
    console.log(`           and the header ${CONTROL_TOKEN_HEADER}: ${sim.controlToken} (new at every launch)`);
    console.log('Ctrl+C to stop.');
  }
  const shutdown = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

await main();
