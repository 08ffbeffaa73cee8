// `npm run setup:temporal`: prepares a Temporal namespace for the service on any cluster (npm start does this
// for its own dev server): registers the search attributes the workflows write.
import { parseArgs } from 'node:util';
import { loadEnvFile, parseConfig, parseDuration } from '../config';
import { connectClient } from '../temporal-connection';
import { registerSearchAttributes } from '../temporal-setup';

const HELP = `Usage: npm run setup:temporal -- [--wait DURATION]

Registers the custom search attributes (WhiplashOrderId, WhiplashOrderNumber, WhiplashStore, WhiplashStatus,
SyncState, CustomerEmailHash, GorgiasAccount, all Keyword) on TEMPORAL_NAMESPACE at TEMPORAL_ADDRESS through
the operator service. Attributes already there are left alone, so running it again is safe. The namespace must
exist. Temporal Cloud namespaces get their search attributes through the Cloud console or tcld instead.

Options:
  --wait DURATION   keep retrying the connection this long, e.g. 60s, while the server starts (default 0)
  -h, --help        show this help
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { wait: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const waitMs = values.wait === undefined ? 0 : parseDuration(values.wait);
  if (waitMs === null) {
    process.stderr.write(`setup:temporal: --wait must be a duration such as 60s, got ${values.wait}\n`);
    return 2;
  }
  loadEnvFile();
  const config = parseConfig();

  const client = await connectWithin(waitMs, () => connectClient(config.temporal));
  try {
    const result = await registerSearchAttributes(client, config.temporal.namespace);
    for (const [name, outcome] of Object.entries(result)) process.stdout.write(`${name.padEnd(20)} ${outcome}\n`);
    return 0;
  } finally {
    await client.connection.close();
  }
}

/** Retries `connect` every 2 s until it succeeds or `waitMs` has passed, then throws its last error. */
async function connectWithin<T>(waitMs: number, connect: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await connect();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      process.stderr.write(`Temporal is not ready yet (${(error as Error).message}); retrying\n`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`setup:temporal failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
