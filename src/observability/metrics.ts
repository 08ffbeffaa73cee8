import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { GorgiasResponseInfo } from '../gorgias/http';

/** Outcome of one webhook delivery, as counted in `whiplash_webhook_deliveries_total`. */
export type WebhookOutcome =
  | 'accepted'
  | 'ignored'
  | 'unauthorized'
  | 'unsupported_media_type'
  | 'too_large'
  | 'malformed_json'
  | 'invalid_order'
  | 'temporal_unavailable';

/** The API's metrics, served at its `GET /metrics`. */
export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  signatureFailures: Counter<'reason'>;
  webhookDeliveries: Counter<'outcome'>;
}

/** Creates the API's metrics in a registry of their own, with Node.js process metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route template and response status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to sending the end of its response',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    signatureFailures: new Counter({
      name: 'whiplash_webhook_signature_failures_total',
      help: 'Webhooks rejected with 401, by the check that failed',
      labelNames: ['reason'],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'whiplash_webhook_deliveries_total',
      help: 'Webhook deliveries by outcome: accepted and ignored events, and each kind of rejection',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/** The worker's own metrics; its `GET /metrics` adds the Temporal SDK's metrics to them. */
export interface WorkerMetrics {
  registry: Registry;
  gorgiasRequests: Counter<'method' | 'route' | 'status'>;
  gorgiasDuration: Histogram<'method' | 'route'>;
}

/** Creates the worker's metrics in a registry of their own, with Node.js process metrics. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    gorgiasRequests: new Counter({
      name: 'gorgias_requests_total',
      help: 'Gorgias API requests by route template and outcome: an HTTP status, timeout or network_error',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    gorgiasDuration: new Histogram({
      name: 'gorgias_request_duration_seconds',
      help: 'Gorgias API request time, response body included',
      labelNames: ['method', 'route'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** The Gorgias client's `onResponse` hook that counts and times each request in the worker's metrics. */
export function recordGorgiasRequest(metrics: WorkerMetrics) {
  return (info: GorgiasResponseInfo): void => {
    const labels = { method: info.method, route: info.route };
    metrics.gorgiasRequests.inc({ ...labels, status: String(info.status) });
    metrics.gorgiasDuration.observe(labels, info.durationMs / 1000);
  };
}
