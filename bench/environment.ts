import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startGorgiasEmulator, type RunningGorgiasEmulator } from '../src/emulators/gorgias';
import { startDevServer, type RunningDevServer } from '../src/temporal-cli/dev-server';
import { ensureTemporalCli } from '../src/temporal-cli/find';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { BENCH_WEBHOOK_SECRET } from './orders';
import { startService, type ServiceProcess } from './processes';

/** The shared parts of one benchmark run: a Temporal dev server, a client and the Gorgias emulator. */
export interface BenchEnvironment {
  server: RunningDevServer;
  client: Client;
  gorgias: RunningGorgiasEmulator;
  /** Folder of the services' logs. */
  logDir: string;
  /** The Temporal CLI the dev server runs. */
  cliPath: string;
  stop(): Promise<void>;
}

export async function startEnvironment(logDir: string): Promise<BenchEnvironment> {
  mkdirSync(logDir, { recursive: true });
  const cliPath = ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, process.env.PATH);
  const server = await startDevServer({ cliPath, searchAttributes: ALL_SEARCH_ATTRIBUTES, uiPort: null });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const gorgias = await startGorgiasEmulator();
  return {
    server,
    client,
    gorgias,
    logDir,
    cliPath,
    stop: async () => {
      await connection.close();
      await gorgias.close();
      await server.stop();
    },
  };
}

/** Settings of one deployment of the product. */
export interface ProductSettings {
  /** Names the task queues and log files. */
  name: string;
  /** CUSTOMER_DEBOUNCE_WINDOW of the API's workflows, e.g. `2s` (the default) or `0ms`. */
  debounceWindow?: string;
  /** GORGIAS_REQUESTS_PER_20S of the worker. */
  gorgiasBudgetPer20s: number;
  /** WORKER_MAX_CACHED_WORKFLOWS; the SDK's default when absent. */
  maxCachedWorkflows?: number;
  /** Starts no worker, so webhooks only start workflows: the ingest path alone. */
  withoutWorker?: boolean;
  /** Shares the task queues of a product started before, e.g. a second API with other settings for its worker. */
  taskQueue?: string;
  /** Extra variables for the worker and the API. */
  env?: Record<string, string>;
}

/** A worker and an API process sharing their task queues. */
export interface Product {
  settings: ProductSettings;
  taskQueue: string;
  gorgiasTaskQueue: string;
  /** Variables the services run with; a backfill command needs the same. */
  env: Record<string, string>;
  webhookUrl: string;
  api: ServiceProcess;
  worker: ServiceProcess | null;
  stop(): Promise<void>;
}

/** Starts the worker (unless `withoutWorker`) and then the API, as two processes configured alike. */
export async function startProduct(bench: BenchEnvironment, settings: ProductSettings): Promise<Product> {
  const taskQueue = settings.taskQueue ?? `bench-${settings.name}-${Math.random().toString(36).slice(2, 8)}`;
  const gorgiasTaskQueue = `${taskQueue}-gorgias`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(bench.logDir, 'data'),
    TEMPORAL_ADDRESS: bench.server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_GORGIAS_TASK_QUEUE: gorgiasTaskQueue,
    TEMPORAL_CLI_PATH: bench.cliPath,
    GORGIAS_EMULATOR_PORT: String(bench.gorgias.port),
    GORGIAS_REQUESTS_PER_20S: String(settings.gorgiasBudgetPer20s),
    WHIPLASH_WEBHOOK_SECRETS: BENCH_WEBHOOK_SECRET,
    CUSTOMER_DEBOUNCE_WINDOW: settings.debounceWindow ?? '',
    WORKER_MAX_CACHED_WORKFLOWS: settings.maxCachedWorkflows === undefined ? '' : String(settings.maxCachedWorkflows),
    SHUTDOWN_GRACE_TIME: '2s',
    ...settings.env,
  };
  const logFile = (part: string) => path.join(bench.logDir, `${settings.name}-${part}.log`);
  const worker = settings.withoutWorker
    ? null
    : await startService({
        name: `${settings.name} worker`,
        script: 'src/worker/main.ts',
        env,
        logFile: logFile('worker'),
      });
  const api = await startService({
    name: `${settings.name} API`,
    script: 'src/api/main.ts',
    env,
    logFile: logFile('api'),
  });
  return {
    settings,
    taskQueue,
    gorgiasTaskQueue,
    env,
    webhookUrl: `${api.url}/webhooks/whiplash`,
    api,
    worker,
    stop: async () => {
      await api.stop();
      await worker?.stop();
    },
  };
}
