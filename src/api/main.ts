// Runs the HTTP API on its own: `npm run start:api`. Stateless; run as many as needed behind a load balancer.
import { once } from 'node:events';
import { loadEnvFile, parseConfig } from '../config';
import { logger } from '../logger';
import { orderWorkflowInput } from '../sync/send-order-event';
import { connectClient } from '../temporal-connection';
import { createApp } from './app';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig();
  logger.level = config.logLevel;
  if (config.api.webhookSecrets.length === 0) {
    throw new Error('WHIPLASH_WEBHOOK_SECRETS is empty; set it to the key Whiplash signs webhooks with.');
  }
  const client = await connectClient(config.temporal);
  const app = createApp({
    logger,
    maxBodyBytes: config.api.maxBodyBytes,
    webhookSecrets: config.api.webhookSecrets,
    target: { client, taskQueue: config.temporal.taskQueue, input: orderWorkflowInput(config) },
  });
  const server = app.listen(config.api.port, config.api.host);
  await once(server, 'listening');
  logger.info({ port: config.api.port }, 'API listening');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'API stopping; finishing in-flight requests');
      server.close(() => void client.connection.close().then(() => logger.info('API stopped')));
    });
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'API failed to start');
  process.exitCode = 1;
});
