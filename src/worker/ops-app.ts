import express from 'express';
import type { Worker } from '@temporalio/worker';
import type { WorkerMetrics } from '../observability/metrics';
import { opsRoutes, type ReadinessCheck } from '../observability/ops-routes';

export interface WorkerOpsOptions {
  workers: readonly Worker[];
  metrics: WorkerMetrics;
  /** Readiness of the Temporal connection the workers poll through. */
  temporal: ReadinessCheck;
  /** The SDK's Prometheus endpoint, whose metrics `/metrics` appends to the worker's own. */
  sdkMetricsUrl: string | null;
}

/** Creates the worker's HTTP app: `/healthz`, `/readyz` (every worker polling, Temporal reachable) and `/metrics`. */
export function createWorkerOpsApp(options: WorkerOpsOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    opsRoutes({
      readiness: [workersRunning(options.workers), options.temporal],
      metrics: async () => `${await options.metrics.registry.metrics()}\n${await sdkMetrics(options.sdkMetricsUrl)}`,
      metricsContentType: options.metrics.registry.contentType,
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found; the worker serves GET /healthz, /readyz and /metrics' });
  });
  return app;
}

function workersRunning(workers: readonly Worker[]): ReadinessCheck {
  return {
    name: 'workers',
    check: () => {
      const stopped = workers.filter((worker) => worker.getState() !== 'RUNNING');
      if (stopped.length === 0) return Promise.resolve();
      const states = stopped.map((worker) => `${worker.options.taskQueue} is ${worker.getState()}`);
      return Promise.reject(new Error(states.join('; ')));
    },
  };
}

async function sdkMetrics(url: string | null): Promise<string> {
  if (url === null) return '# Temporal SDK metrics are off in this process\n';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return await response.text();
  } catch (error) {
    return `# Temporal SDK metrics could not be read: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}
