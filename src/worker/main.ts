// Runs the workers on their own: `npm run start:worker`. Run as many as needed; they share the task queues.
import { loadEnvFile, parseConfig } from '../config';
import { createGorgiasClient } from '../gorgias';
import { logger } from '../logger';
import { connectClient, connectWorker } from '../temporal-connection';
import { createWorkers, runWorkers } from './create-workers';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig();
  logger.level = config.logLevel;
  const client = await connectClient(config.temporal);
  const connection = await connectWorker(config.temporal);
  const workers = await createWorkers({
    connection,
    client,
    gorgias: createGorgiasClient({ baseUrl: config.gorgias.baseUrl, auth: config.gorgias.auth }),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    gorgiasTaskQueue: config.temporal.gorgiasTaskQueue,
    gorgiasBudgetPer20s: config.gorgias.budgetPer20s,
  });
  logger.info({ taskQueue: config.temporal.taskQueue, gorgias: config.gorgias.mode }, 'Worker started');
  // The SDK's runtime shuts the workers down on SIGINT and SIGTERM; running activities get the grace time.
  await runWorkers(workers);
  await connection.close();
  await client.connection.close();
  logger.info('Worker stopped');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Worker failed');
  process.exitCode = 1;
});
