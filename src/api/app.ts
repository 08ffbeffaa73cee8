import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { codecRoutes, type CodecRouteOptions } from '../codec/codec-routes';
import type { Logger } from '../logger';
import { createApiMetrics, type ApiMetrics } from '../observability/metrics';
import { opsRoutes, type ReadinessCheck } from '../observability/ops-routes';
import { temporalReadiness } from '../temporal-connection';
import { createWebhookHandler, WEBHOOK_PATH, type WebhookRouteOptions } from './webhook-route';

export interface ApiOptions extends Omit<WebhookRouteOptions, 'metrics'> {
  logger: Logger;
  /** Largest webhook body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** Defaults to a new set, which `GET /metrics` serves. */
  metrics?: ApiMetrics;
  /** Checks behind `GET /readyz`. Defaults to the Temporal connection of `target.client`. */
  readiness?: ReadinessCheck[];
  /** Serves the codec server under `/codec` when set, which only makes sense when payloads are encrypted. */
  codec?: CodecRouteOptions;
}

/**
 * Creates the HTTP API: the webhook, `/healthz`, `/readyz`, `/metrics` and, when configured, the codec server
 * under `/codec`. The webhook route reads the raw
 * bytes itself: a JSON body parser mounted ahead of it would destroy the bytes the signature covers.
 */
export function createApp(options: ApiOptions): express.Express {
  const metrics = options.metrics ?? createApiMetrics();
  const { client } = options.target;
  const readiness = options.readiness ?? [temporalReadiness(client.connection, client.options.namespace)];

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(options.logger, metrics));

  app.use(
    opsRoutes({
      readiness,
      metrics: () => metrics.registry.metrics(),
      metricsContentType: metrics.registry.contentType,
    }),
  );
  if (options.codec) app.use(codecRoutes(options.codec));
  app.post(
    WEBHOOK_PATH,
    // The signature covers the bytes as sent, so a compressed body is rejected (415) instead of inflated.
    express.raw({ type: () => true, limit: options.maxBodyBytes, inflate: false }),
    createWebhookHandler({ ...options, metrics }),
  );

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: `Not found; the webhook endpoint is POST ${WEBHOOK_PATH}` });
  });
  app.use(errorHandler(options.maxBodyBytes, metrics));
  return app;
}

/**
 * Gives each request an id (the caller's `X-Request-Id`, else a new one) and a child logger carrying it, and
 * counts each response by route template, so that unknown paths do not each create a series.
 */
function requestLogger(logger: Logger, metrics: ApiMetrics) {
  return (req: Request & { log?: Logger }, res: Response, next: NextFunction) => {
    const requestId = req.get('x-request-id')?.slice(0, 100) || randomUUID();
    res.set('X-Request-Id', requestId);
    req.log = logger.child({ requestId });
    req.log.debug({ method: req.method, path: req.path }, 'Received request');
    const stopTimer = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: req.method, route };
      stopTimer(labels);
      metrics.httpRequests.inc({ ...labels, status: String(res.statusCode) });
      req.log!.info({ ...labels, path: req.path.slice(0, 200), status: res.statusCode }, 'Answered request');
    });
    next();
  };
}

// Reasons body-parser gives when it cannot read a body, in words a sender can act on.
const READ_ERRORS: Record<string, string> = {
  'request.aborted': 'the client closed the connection before the body was complete',
  'request.size.invalid': 'the body is shorter or longer than its Content-Length header says',
};

function errorHandler(maxBodyBytes: number, metrics: ApiMetrics) {
  return (
    error: { type?: string; status?: number },
    req: Request & { log?: Logger },
    res: Response,
    _next: NextFunction,
  ) => {
    if (error.type === 'entity.too.large') {
      metrics.webhookDeliveries.inc({ outcome: 'too_large' });
      res
        .status(413)
        .json({ error: `The body is larger than the ${maxBodyBytes}-byte limit (WEBHOOK_MAX_BODY_BYTES)` });
      return;
    }
    if (error.type === 'encoding.unsupported') {
      metrics.webhookDeliveries.inc({ outcome: 'unsupported_media_type' });
      res.status(415).json({
        error: 'The body must not be compressed; send it without a Content-Encoding header',
        header: 'Content-Encoding',
        received: req.get('content-encoding')?.slice(0, 200) ?? null,
      });
      return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      const reason = READ_ERRORS[error.type ?? ''] ?? 'bad request';
      res.status(error.status).json({ error: `The request body could not be read: ${reason}` });
      return;
    }
    req.log?.error({ err: error }, 'Unhandled error in request');
    res.status(500).json({ error: 'Internal error' });
  };
}
