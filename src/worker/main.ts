// Runs the workers on their own: `npm run start:worker`. Run as many as needed; they share the task queues.
import { payloadDataConverter } from '../codec/data-converter';
import { loadEnvFile, parseConfig } from '../config';
import { gorgiasClientFor, whiplashClientFor } from '../clients';
import { listen, stopHttpServer } from '../http-server';
import { logger } from '../logger';
import { createWorkerMetrics, recordGorgiasRequest } from '../observability/metrics';
import { installTemporalRuntime } from '../observability/temporal-runtime';
import { connectClient, connectWorker, temporalReadiness } from '../temporal-connection';
import { createWorkers, runWorkers } from './create-workers';
import { createWorkerOpsApp } from './ops-app';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig();
  logger.level = config.logLevel;
  // The SDK shuts the workers down on SIGINT and SIGTERM; running activities get SHUTDOWN_GRACE_TIME to finish.
  const { sdkMetricsUrl } = await installTemporalRuntime({ logger, sdkMetricsPort: config.worker.sdkMetricsPort });
  const client = await connectClient(config.temporal);
  const connection = await connectWorker(config.temporal);
  const metrics = createWorkerMetrics();
  const workers = await createWorkers({
    connection,
    client,
    gorgias: gorgiasClientFor(config, recordGorgiasRequest(metrics)),
    whiplash: whiplashClientFor(config),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    gorgiasTaskQueue: config.temporal.gorgiasTaskQueue,
    gorgiasBudgetPer20s: config.gorgias.budgetPer20s,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: config.shutdownGraceMs,
    dataConverter: payloadDataConverter(config.temporal.payloadCodecKeys),
  });
  const ops = createWorkerOpsApp({
    workers,
    metrics,
    temporal: temporalReadiness(connection, config.temporal.namespace),
    sdkMetricsUrl,
  });
  const { server, port } = await listen(ops, config.worker.port, config.worker.host);
  logger.info({ taskQueue: config.temporal.taskQueue, gorgias: config.gorgias.mode, port }, 'Worker started');

  try {
    await runWorkers(workers);
  } finally {
    await stopHttpServer(server, 1000);
    await connection.close();
    await client.connection.close();
  }
  logger.info('Worker stopped');
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Worker failed');
  // Workers created before a start-up failure (e.g. WORKER_HTTP_PORT in use) are never run, so they cannot be
  // shut down, and their native handles would keep the process alive. pino writes stdout synchronously.
  process.exit(1);
});
