import { Router } from 'express';

/** One dependency that must work for the process to be ready; `check` rejects with the reason when it does not. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface OpsRoutesOptions {
  readiness: readonly ReadinessCheck[];
  /** Renders every metric in the Prometheus text format. */
  metrics: () => Promise<string>;
  metricsContentType: string;
  /** Each readiness check fails after this long. */
  readinessTimeoutMs?: number;
}

/**
 * Creates the routes that orchestrators and scrapers call, shared by the API and the worker. `GET /healthz`
 * returns 200 while the process runs. `GET /readyz` returns 200 when every dependency works, else 503 with the
 * failing check's reason. `GET /metrics` returns the Prometheus text format.
 */
export function opsRoutes(options: OpsRoutesOptions): Router {
  const router = Router();
  // Longer than the checks' own deadlines (1.5 s for Temporal), so a check normally ends by itself. A call left
  // running after the route gave up on it could outlive the connection it runs on.
  const timeoutMs = options.readinessTimeoutMs ?? 5000;

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(options.readiness.map((check) => runCheck(check, timeoutMs)));
    const checks = Object.fromEntries(results);
    const ready = results.every(([, result]) => result === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(options.metricsContentType).send(await options.metrics());
  });
  return router;
}

async function runCheck(readiness: ReadinessCheck, timeoutMs: number): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([readiness.check(), timeout]);
    return [readiness.name, 'ok'];
  } catch (error) {
    return [readiness.name, error instanceof Error ? error.message : String(error)];
  } finally {
    clearTimeout(timer);
  }
}
