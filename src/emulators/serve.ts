import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { logger } from '../logger';

/** An emulator's HTTP server once it listens. */
export interface ListeningEmulator {
  server: Server;
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:8090`. */
  url: string;
}

/** Starts an emulator's app on `host:port` (0 picks a free port) and resolves once it listens. */
export async function listenEmulator(app: RequestListener, host: string, port: number): Promise<ListeningEmulator> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const listening = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { server, port: listening, url: `http://${urlHost}:${listening}` };
}

/** Stops an emulator's server and closes its open connections at once. */
export function closeEmulator(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive connections would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}

export interface EmulatorCommand<Emulator extends { url: string; close(): Promise<void> }> {
  /** Product name used in the help and the log, e.g. `Gorgias`. */
  name: string;
  script: string;
  defaultPort: number;
  /** Extra help lines, e.g. how to load data. */
  description?: string;
  start(host: string | undefined, port: number): Promise<Emulator>;
  /**
   * The emulator's fixed development credentials, logged so that a developer can configure the service. The
   * field names must avoid the logger's redaction list. Never log real credentials this way.
   */
  developmentCredentials(emulator: Emulator): Record<string, string>;
}

/** Runs an emulator from the command line (`--host`, `--port`, `--help`) until SIGINT or SIGTERM. */
export function runEmulatorCommand<Emulator extends { url: string; close(): Promise<void> }>(
  command: EmulatorCommand<Emulator>,
): void {
  const usage = [
    `Usage: tsx ${command.script} [--host HOST] [--port PORT]`,
    '',
    `Runs the local ${command.name} API emulator until SIGINT or SIGTERM.`,
    ...(command.description ? [command.description] : []),
    '  --host HOST  interface to listen on (default 127.0.0.1)',
    `  --port PORT  TCP port to listen on, 0 for a free port (default ${command.defaultPort})`,
  ].join('\n');

  const main = async () => {
    const { values } = parseArgs({
      options: { host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      return;
    }
    const port = values.port === undefined ? command.defaultPort : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TypeError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
    }

    const emulator = await command.start(values.host, port);
    logger.info(
      { url: emulator.url, ...command.developmentCredentials(emulator) },
      `${command.name} emulator listening`,
    );
    const stop = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, `${command.name} emulator stopping`);
      emulator.close().then(
        () => logger.info(`${command.name} emulator stopped`),
        (err: unknown) => {
          logger.error({ err }, `${command.name} emulator failed to stop cleanly`);
          process.exitCode = 1;
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  };

  main().catch((err: unknown) => {
    logger.error({ err }, `${command.name} emulator failed to start`);
    process.exitCode = 1;
  });
}
