import express, { type ErrorRequestHandler, type Express } from 'express';

import { logger } from '../../logger';
import { createAdminRouter } from './admin-routes';
import { GorgiasEmulatorState } from './emulator-state';
import { addLatency, authenticate, injectFaults, limitRate, logRequests } from './middleware';
import type { GorgiasEmulatorOptions } from './options';
import { sendGorgiasError } from './responses';
import { createCustomerRouter } from './routes';
import { createWidgetRouter } from './widget-routes';

/** The emulator's Express app and the state behind it, for use in the same process. */
export interface GorgiasEmulatorApp {
  app: Express;
  state: GorgiasEmulatorState;
}

// NOTE: Gorgias documents 413 but not its body size limit. The 1 MB limit is the emulator's own choice.
const MAX_BODY_SIZE = '1mb';

/**
 * Creates the emulator's Express app without listening. Each `/api` request is logged, delayed, rate limited,
 * authenticated and possibly failed by fault injection, in that order, before it reaches a route.
 */
export function createGorgiasEmulatorApp(options: GorgiasEmulatorOptions = {}): GorgiasEmulatorApp {
  const state = new GorgiasEmulatorState(options);
  const app = express();
  app.disable('x-powered-by');

  app.use('/_emulator', createAdminRouter(state));
  app.use(
    '/api',
    logRequests(state),
    addLatency(state),
    limitRate(state),
    authenticate(state),
    injectFaults(state),
    express.json({ limit: MAX_BODY_SIZE }),
    createCustomerRouter(state),
    createWidgetRouter(state),
  );
  app.use((req, res) => {
    sendGorgiasError(res, 404, `No route for ${req.method} ${req.path}`);
  });
  app.use(handleError);

  return { app, state };
}

const handleError: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }

  // body-parser marks its errors with a `type`. They are client errors, not emulator faults.
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    sendGorgiasError(res, 400, 'Invalid request body: the body is not valid JSON');
    return;
  }
  if (type === 'entity.too.large') {
    sendGorgiasError(res, 413, `Request body too large: the emulator accepts at most ${MAX_BODY_SIZE}`);
    return;
  }

  logger.error({ err, method: req.method, path: req.path }, 'Gorgias emulator request failed');
  sendGorgiasError(res, 500, 'Internal server error in the Gorgias emulator');
};
