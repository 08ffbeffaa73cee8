// `npm start`: the whole product on one machine. Starts a Temporal dev server (SQLite file under DATA_DIR,
// UI, search attributes registered), the Gorgias and Whiplash emulators when no account is configured, the
// workers and the API, sets up the reconcile schedule, prints the URLs, and stops all of it on Ctrl-C.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../api/app';
import { CODEC_PATH } from '../codec/codec-routes';
import { codecServerOptions, payloadDataConverter } from '../codec/data-converter';
import { DEV_WEBHOOK_SECRET, loadEnvFile, parseConfig } from '../config';
import { startGorgiasEmulator } from '../emulators/gorgias';
import { startWhiplashEmulator } from '../emulators/whiplash';
import { ensureReconcileSchedule } from '../reconcile/schedule';
import { gorgiasClientFor, whiplashClientFor } from '../clients';
import { listen, stopHttpServer } from '../http-server';
import { logger } from '../logger';
import { createWorkerMetrics, recordGorgiasRequest } from '../observability/metrics';
import { installTemporalRuntime } from '../observability/temporal-runtime';
import { orderWorkflowInput } from '../sync/send-order-event';
import { startDevServer } from '../temporal-cli/dev-server';
import { ensureTemporalCli } from '../temporal-cli/find';
import { createWorkers, runWorkers } from '../worker/create-workers';
import { createWorkerOpsApp } from '../worker/ops-app';
import { temporalReadiness } from '../temporal-connection';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

async function main(): Promise<void> {
  loadEnvFile();
  const config = parseConfig();
  logger.level = config.logLevel;
  const webhookSecrets = config.api.webhookSecrets.length > 0 ? config.api.webhookSecrets : [DEV_WEBHOOK_SECRET];
  const cliPath = ensureTemporalCli(config.temporal.cliPath, process.env.PATH);
  // The SDK would shut workers down on SIGINT by itself; this script stops every part in order instead.
  const { sdkMetricsUrl } = await installTemporalRuntime({
    logger,
    sdkMetricsPort: config.worker.sdkMetricsPort,
    shutdownSignals: [],
  });

  const dataConverter = payloadDataConverter(config.temporal.payloadCodecKeys);
  // The dev server's UI has no login and sends no token, so without CODEC_SERVER_TOKEN the codec server accepts
  // calls from this machine only.
  const codecOptions = codecServerOptions(config);
  const codec = codecOptions && { ...codecOptions, allowLoopbackWithoutToken: codecOptions.token === undefined };
  const codecEndpoint = codec ? `http://127.0.0.1:${config.api.port}${CODEC_PATH}` : undefined;

  mkdirSync(config.dataDir, { recursive: true });
  const [ip, port] = config.temporal.address.split(':');
  const server = await startDevServer({
    cliPath,
    ip,
    port: Number(port),
    uiPort: config.temporal.uiPort,
    dbFile: path.join(config.dataDir, 'temporal.sqlite'),
    searchAttributes: ALL_SEARCH_ATTRIBUTES,
    uiCodecEndpoint: codecEndpoint,
    ownProcessGroup: true,
    onOutput: (chunk) => logger.debug({ output: chunk.trim() }, 'Temporal dev server output'),
  });
  const emulator =
    config.gorgias.mode === 'emulator' ? await startGorgiasEmulator({ port: config.gorgias.emulatorPort }) : null;
  const whiplashEmulator =
    config.whiplash.mode === 'emulator' ? await startWhiplashEmulator({ port: config.whiplash.emulatorPort }) : null;

  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const workerMetrics = createWorkerMetrics();
  const workers = await createWorkers({
    connection: nativeConnection,
    client,
    gorgias: gorgiasClientFor(config, recordGorgiasRequest(workerMetrics)),
    whiplash: whiplashClientFor(config),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    gorgiasTaskQueue: config.temporal.gorgiasTaskQueue,
    gorgiasBudgetPer20s: config.gorgias.budgetPer20s,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    shutdownGraceTime: config.shutdownGraceMs,
    dataConverter,
  });
  const running = runWorkers(workers);
  const workerOps = await listen(
    createWorkerOpsApp({
      workers,
      metrics: workerMetrics,
      temporal: temporalReadiness(nativeConnection, config.temporal.namespace),
      sdkMetricsUrl,
    }),
    config.worker.port,
    config.worker.host,
  );

  const app = createApp({
    logger,
    maxBodyBytes: config.api.maxBodyBytes,
    webhookSecrets,
    temporalTimeoutMs: config.api.temporalTimeoutMs,
    target: { client, taskQueue: config.temporal.taskQueue, input: orderWorkflowInput(config) },
    codec,
  });
  const api = await listen(app, config.api.port, config.api.host);
  await ensureReconcileSchedule(client, {
    intervalMs: config.reconcile.intervalMs,
    overlapMs: config.reconcile.overlapMs,
    taskQueue: config.temporal.taskQueue,
    order: orderWorkflowInput(config),
  });

  printBanner({
    api: `http://127.0.0.1:${api.port}`,
    worker: `http://127.0.0.1:${workerOps.port}`,
    temporal: server.address,
    ui: server.uiUrl,
    gorgias: emulator ? emulator.url : config.gorgias.baseUrl,
    emulated: emulator !== null,
    whiplash: whiplashEmulator ? `${whiplashEmulator.url} (local emulator)` : config.whiplash.baseUrl,
    whiplashEmulated: whiplashEmulator !== null,
    reconcileEvery: `${config.reconcile.intervalMs / 60_000} min`,
    usingDevSecret: config.api.webhookSecrets.length === 0,
    codec: codecEndpoint,
    codecToken: codec?.token !== undefined,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping: API, workers, emulators, Temporal dev server');
    await stopHttpServer(api.server, config.shutdownGraceMs);
    workers.forEach((worker) => worker.shutdown());
    await running.catch(() => undefined);
    await stopHttpServer(workerOps.server, 1000);
    await nativeConnection.close();
    await connection.close();
    await emulator?.close();
    await whiplashEmulator?.close();
    await server.stop();
    logger.info('Stopped');
  };
  // `on`, not `once`: npm and tsx pass a terminal's Ctrl-C on again, and a second SIGINT without a handler
  // would kill this process before it stops the Temporal server.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  running.catch(async (error: unknown) => {
    logger.fatal({ err: error }, 'A worker failed; stopping');
    process.exitCode = 1;
    await stop('worker failure');
  });
}

function printBanner(urls: {
  api: string;
  worker: string;
  temporal: string;
  ui: string | null;
  gorgias: string;
  emulated: boolean;
  whiplash: string;
  whiplashEmulated: boolean;
  reconcileEvery: string;
  usingDevSecret: boolean;
  codec: string | undefined;
  codecToken: boolean;
}): void {
  const lines = [
    '',
    'whiplash-gorgias-sync is running. Press Ctrl-C to stop everything.',
    `  Webhook endpoint   POST ${urls.api}/webhooks/whiplash`,
    `  API health         ${urls.api}/healthz, ${urls.api}/readyz, ${urls.api}/metrics`,
    `  Worker health      ${urls.worker}/healthz, ${urls.worker}/readyz, ${urls.worker}/metrics`,
    `  Temporal UI        ${urls.ui ?? '(disabled)'}`,
    `  Temporal gRPC      ${urls.temporal}`,
    `  Gorgias            ${urls.gorgias}${urls.emulated ? ' (local emulator)' : ''}`,
    `  Whiplash API       ${urls.whiplash}, reconciled every ${urls.reconcileEvery}`,
  ];
  if (urls.emulated) {
    lines.push('  Gorgias login      Basic auth dev@example.com / dev-api-key (or Bearer dev-access-token)');
  }
  if (urls.whiplashEmulated) {
    lines.push('  Whiplash login     Bearer dev-whiplash-token');
  }
  if (urls.codec === undefined) {
    lines.push('  Payloads           stored in plain text in Temporal (set PAYLOAD_CODEC_KEYS to encrypt them)');
  } else {
    const auth = urls.codecToken ? 'Bearer CODEC_SERVER_TOKEN' : 'no CODEC_SERVER_TOKEN: calls from this machine only';
    lines.push(`  Codec server       ${urls.codec} (${auth}); payloads are encrypted`);
  }
  if (urls.usingDevSecret) {
    lines.push(`  Webhook secret     ${DEV_WEBHOOK_SECRET} (development default; set WHIPLASH_WEBHOOK_SECRETS)`);
  }
  lines.push(
    '',
    'Post a fixture:     npm run post-fixture -- test/fixtures/whiplash/order_created_us_basic.webhook.json',
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Start failed');
  process.exit(1);
});
