import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import { createWebhookHandler, type WebhookRouteOptions } from './webhook-route';

export interface ApiOptions extends WebhookRouteOptions {
  logger: Logger;
  /** Largest webhook body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
}

/**
 * Creates the HTTP API. The webhook route reads the raw bytes itself: a JSON body parser mounted ahead of it
 * would destroy the bytes the signature covers.
 */
export function createApp(options: ApiOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(options.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post(
    '/webhooks/whiplash',
    express.raw({ type: () => true, limit: options.maxBodyBytes }),
    createWebhookHandler(options),
  );

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'Not found; the webhook endpoint is POST /webhooks/whiplash' });
  });
  app.use(errorHandler(options.maxBodyBytes));
  return app;
}

/** Gives each request an id (the caller's `X-Request-Id`, else a new one) and a child logger carrying it. */
function requestLogger(logger: Logger) {
  return (req: Request & { log?: Logger }, res: Response, next: NextFunction) => {
    const requestId = req.get('x-request-id')?.slice(0, 100) || randomUUID();
    res.set('X-Request-Id', requestId);
    req.log = logger.child({ requestId });
    req.log.debug({ method: req.method, path: req.path }, 'Received request');
    res.on('finish', () =>
      req.log!.info({ method: req.method, path: req.path, status: res.statusCode }, 'Answered request'),
    );
    next();
  };
}

function errorHandler(maxBodyBytes: number) {
  return (
    error: { type?: string; status?: number },
    req: Request & { log?: Logger },
    res: Response,
    _next: NextFunction,
  ) => {
    if (error.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: `The body is larger than the ${maxBodyBytes}-byte limit (WEBHOOK_MAX_BODY_BYTES)` });
      return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: `The request could not be read: ${error.type ?? 'bad request'}` });
      return;
    }
    req.log?.error({ err: error }, 'Unhandled error in request');
    res.status(500).json({ error: 'Internal error' });
  };
}
