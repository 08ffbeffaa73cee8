import { parseArgs } from 'node:util';

import { logger } from '../../logger';
import { startWhiplashEmulator } from './index';

const DEFAULT_PORT = 8091;

const USAGE = `Usage: tsx src/emulators/whiplash/main.ts [--host HOST] [--port PORT]

Runs the local Whiplash API emulator until SIGINT or SIGTERM. It starts without orders. Add some with
POST /_emulator/orders (a JSON array of orders) or with
POST /_emulator/orders/generate {"count": 100, "consumers": 40, "stores": 3}.
  --host HOST  interface to listen on (default 127.0.0.1)
  --port PORT  TCP port to listen on, 0 for a free port (default ${DEFAULT_PORT})`;

/** Parses the flags. Throws a TypeError naming the flag when a value is invalid. */
function parseFlags(argv: string[]): { host?: string; port: number; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
  }
  return { host: values.host, port, help: values.help === true };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return;
  }

  const emulator = await startWhiplashEmulator({ host: flags.host, port: flags.port });
  // These are the emulator's fixed development credentials, printed so that a developer can configure the service.
  // The field names avoid the logger's redaction list on purpose. Never log real credentials this way.
  logger.info(
    {
      url: emulator.url,
      bearerToken: emulator.credentials.accessToken,
      refreshToken: emulator.credentials.refreshToken,
      clientId: emulator.credentials.clientId,
      clientSecret: emulator.credentials.clientSecret,
    },
    'Whiplash emulator listening',
  );

  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'Whiplash emulator stopping');
    emulator.close().then(
      () => logger.info('Whiplash emulator stopped'),
      (err: unknown) => {
        logger.error({ err }, 'Whiplash emulator failed to stop cleanly');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  logger.error({ err }, 'Whiplash emulator failed to start');
  process.exitCode = 1;
});
