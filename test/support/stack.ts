import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundle } from '@temporalio/worker';
import { createApp } from '../../src/api/app';
import type { CodecKey } from '../../src/codec/aes-gcm-codec';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { payloadDataConverter } from '../../src/codec/data-converter';
import { EMULATOR_AUTH } from '../../src/config';
import { startGorgiasEmulator, type RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import {
  DEFAULT_WHIPLASH_CREDENTIALS,
  startWhiplashEmulator,
  type RunningWhiplashEmulator,
} from '../../src/emulators/whiplash';
import { createGorgiasClient, type GorgiasClient } from '../../src/gorgias';
import { createWhiplashClient } from '../../src/whiplash/api-client';
import { listen, stopHttpServer } from '../../src/http-server';
import { logger as serviceLogger, type Logger } from '../../src/logger';
import { createWorkerMetrics, recordGorgiasRequest } from '../../src/observability/metrics';
import { installTemporalRuntime, type InstalledTemporalRuntime } from '../../src/observability/temporal-runtime';
import { buildOrderWorkflowInput } from '../../src/sync/send-order-event';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { freePort, startDevServer, type RunningDevServer } from '../../src/temporal-cli/dev-server';
import { temporalReadiness } from '../../src/temporal-connection';
import { bundleWorkflows, createWorkers, runWorkers } from '../../src/worker/create-workers';
import { createWorkerOpsApp } from '../../src/worker/ops-app';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { OrderWorkflowInput } from '../../workflows/definitions';

export const WEBHOOK_SECRET = 'test-webhook-secret';

let runtime: Promise<InstalledTemporalRuntime> | null = null;
let bundle: Promise<WorkflowBundle> | null = null;
// Encrypting stacks need a bundle with the failure converter that encodes failure messages.
let encryptingBundle: Promise<WorkflowBundle> | null = null;

/** Bearer token of the codec server of a stack started with `payloadCodecKeys`. */
export const CODEC_SERVER_TOKEN = 'test-codec-token';

/** A real Temporal dev server, real workers, the real API on a free port and the Gorgias emulator. */
export interface Stack {
  server: RunningDevServer;
  client: Client;
  emulator: RunningGorgiasEmulator;
  /** The Whiplash API emulator the worker's reconcile activities read orders from. */
  whiplash: RunningWhiplashEmulator;
  /** A client for reading the emulator's state through the same API a real account offers. */
  gorgias: GorgiasClient;
  apiUrl: string;
  /** The worker's HTTP server: /healthz, /readyz and /metrics. */
  workerUrl: string;
  taskQueue: string;
  input: OrderWorkflowInput;
  stop(): Promise<void>;
}

export interface StackOptions {
  settlePeriodMs?: number;
  debounceWindowMs?: number;
  idleTimeoutMs?: number;
  maxWidgetOrders?: number;
  maxBodyBytes?: number;
  dynamicConfig?: Record<string, unknown>;
  /** Serves the Temporal UI on a free port (`stack.server.uiUrl`). */
  ui?: boolean;
  /** Random source of the Gorgias emulator's fault injection; a seeded one makes injected faults repeatable. */
  gorgiasRandom?: () => number;
  /** Gorgias requests per 20 s the worker may spend; high by default so tests are not paced. */
  gorgiasBudgetPer20s?: number;
  /**
   * Logger of the API and of the Temporal SDK (workflow, activity and SDK lines). The SDK's half is fixed by the
   * first stack of the test process. Defaults to the service logger at LOG_LEVEL, else `error`.
   */
  logger?: Logger;
  /**
   * Encrypts every payload with these keys, the first one encrypting, and serves the codec server under
   * `/codec` with `CODEC_SERVER_TOKEN` and the default Temporal UI origins. Payloads are plain text by default.
   */
  payloadCodecKeys?: CodecKey[];
}

/** Starts everything one test file needs. Call `stop()` in `after`. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = options.logger ?? serviceLogger.child({ test: true }, { level: process.env.LOG_LEVEL ?? 'error' });
  runtime ??= installTemporalRuntime({ logger, sdkMetricsPort: 0, shutdownSignals: [] });
  const { sdkMetricsUrl } = await runtime;
  const cliPath = ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, process.env.PATH);
  const dataConverter = payloadDataConverter(options.payloadCodecKeys ?? []);
  const workflowBundle = dataConverter
    ? (encryptingBundle ??= bundleWorkflows(dataConverter))
    : (bundle ??= bundleWorkflows());
  const uiPort = options.ui ? await freePort() : null;
  // The UI needs the codec server's URL at start, before the API listens, so the API's port is chosen first.
  const apiPort = uiPort !== null && dataConverter ? await freePort() : 0;
  const server = await startDevServer({
    cliPath,
    searchAttributes: ALL_SEARCH_ATTRIBUTES,
    dynamicConfig: options.dynamicConfig,
    uiPort,
    uiCodecEndpoint: apiPort ? `http://127.0.0.1:${apiPort}/codec` : undefined,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const emulator = await startGorgiasEmulator({ random: options.gorgiasRandom });
  const whiplash = await startWhiplashEmulator({ rateLimitPerSecond: null });
  const auth = EMULATOR_AUTH;
  const gorgias = createGorgiasClient({ baseUrl: emulator.url, auth });

  const taskQueue = `sync-${Math.random().toString(36).slice(2, 10)}`;
  const gorgiasTaskQueue = `${taskQueue}-gorgias`;
  const workerMetrics = createWorkerMetrics();
  const workers: Worker[] = await createWorkers({
    connection: nativeConnection,
    client,
    gorgias: createGorgiasClient({ baseUrl: emulator.url, auth, onResponse: recordGorgiasRequest(workerMetrics) }),
    whiplash: createWhiplashClient({
      baseUrl: whiplash.url,
      auth: DEFAULT_WHIPLASH_CREDENTIALS,
      requestsPerSecond: 50,
    }),
    namespace: 'default',
    taskQueue,
    gorgiasTaskQueue,
    gorgiasBudgetPer20s: options.gorgiasBudgetPer20s ?? 2000,
    workflowBundle: await workflowBundle,
    shutdownGraceTime: '1 second',
    dataConverter,
  });
  const running = runWorkers(workers);
  const workerOps = await listen(
    createWorkerOpsApp({
      workers,
      metrics: workerMetrics,
      temporal: temporalReadiness(nativeConnection, 'default'),
      sdkMetricsUrl,
    }),
    0,
    '127.0.0.1',
  );

  const input = buildOrderWorkflowInput('test', gorgiasTaskQueue, {
    settlePeriodMs: options.settlePeriodMs ?? 60_000,
    debounceWindowMs: options.debounceWindowMs ?? 200,
    idleTimeoutMs: options.idleTimeoutMs ?? 600_000,
    maxWidgetOrders: options.maxWidgetOrders ?? 20,
  });
  const app = createApp({
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 10_000_000,
    webhookSecrets: [WEBHOOK_SECRET],
    target: { client, taskQueue, input },
    // With the UI, the codec server works as under npm start: no token, loopback callers only.
    codec: dataConverter && {
      codec: new AesGcmCodec(options.payloadCodecKeys!),
      token: uiPort === null ? CODEC_SERVER_TOKEN : undefined,
      allowLoopbackWithoutToken: uiPort !== null,
      corsOrigins: uiPort === null ? ['http://127.0.0.1:8233', 'http://localhost:8233'] : [server.uiUrl!],
    },
  });
  const api = await listen(app, apiPort, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${api.port}`;
  const workerUrl = `http://127.0.0.1:${workerOps.port}`;

  const stop = async () => {
    await stopHttpServer(api.server, 1000);
    workers.forEach((worker) => worker.shutdown());
    await running;
    await stopHttpServer(workerOps.server, 1000);
    await nativeConnection.close();
    await connection.close();
    await emulator.close();
    await whiplash.close();
    await server.stop();
  };
  return { server, client, emulator, whiplash, gorgias, apiUrl, workerUrl, taskQueue, input, stop };
}

/** Retries `check` until it stops throwing, then returns its result; rethrows the last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
