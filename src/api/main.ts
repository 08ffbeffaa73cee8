// Runs the HTTP API on its own: `npm run start:api`. Stateless; run as many as needed behind a load balancer.
import { codecServerOptions } from '../codec/data-converter';
import { loadEnvFile, parseConfig } from '../config';
import { listen, stopHttpServer } from '../http-server';
import { logger } from '../logger';
import { orderWorkflowInput } from '../sync/send-order-event';
import { lazyClient } from '../temporal-connection';
import { createApp } from './app';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig();
  logger.level = config.logLevel;
  if (config.api.webhookSecrets.length === 0) {
    throw new Error('WHIPLASH_WEBHOOK_SECRETS is empty; set it to the key Whiplash signs webhooks with.');
  }
  const codec = codecServerOptions(config);
  if (codec !== undefined && codec.token === undefined) {
    logger.warn('PAYLOAD_CODEC_KEYS is set but CODEC_SERVER_TOKEN is not, so the codec server rejects every request');
  }
  const client = lazyClient(config.temporal);
  const app = createApp({
    logger,
    maxBodyBytes: config.api.maxBodyBytes,
    webhookSecrets: config.api.webhookSecrets,
    temporalTimeoutMs: config.api.temporalTimeoutMs,
    target: { client, taskQueue: config.temporal.taskQueue, input: orderWorkflowInput(config) },
    codec,
  });
  const { server, port } = await listen(app, config.api.port, config.api.host);
  logger.info({ host: config.api.host, port }, 'API listening');

  const stop = async (signal: NodeJS.Signals) => {
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'API stopping; finishing in-flight requests');
    await stopHttpServer(server, config.shutdownGraceMs);
    await client.connection.close();
    logger.info('API stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'API failed to start');
  process.exitCode = 1;
});
