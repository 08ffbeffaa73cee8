import express, { type ErrorRequestHandler, type Express } from 'express';

import { logger } from '../../logger';
import { createAdminRouter } from './admin-routes';
import { WhiplashEmulatorState } from './emulator-state';
import { authenticate, injectFaults, limitRate, logRequests } from './middleware';
import { createOAuthRouter } from './oauth-routes';
import type { WhiplashEmulatorOptions } from './options';
import { sendWhiplashError } from './responses';
import { createOrderRouter } from './routes';

/** The emulator's Express app and the state behind it, for use in the same process. */
export interface WhiplashEmulatorApp {
  app: Express;
  state: WhiplashEmulatorState;
}

/**
 * Creates the emulator's Express app without listening. Each `/api` request is logged, rate limited,
 * authenticated and possibly failed by fault injection, in that order, before it reaches a route. Token requests
 * to `/oauth/token` are logged but neither rate limited nor failed.
 */
export function createWhiplashEmulatorApp(options: WhiplashEmulatorOptions = {}): WhiplashEmulatorApp {
  const state = new WhiplashEmulatorState(options);
  const app = express();
  app.disable('x-powered-by');

  app.use('/_emulator', createAdminRouter(state));
  app.use('/oauth', logRequests(state), createOAuthRouter(state));
  app.use('/api', logRequests(state), limitRate(state), authenticate(state), injectFaults(state));
  app.use('/api/v2', createOrderRouter(state));
  app.use((req, res) => {
    sendWhiplashError(res, 404, `No route for ${req.method} ${req.path}`);
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
    sendWhiplashError(res, 400, 'Invalid request body: the body is not valid JSON');
    return;
  }
  if (type === 'entity.too.large') {
    sendWhiplashError(res, 413, 'Request body too large');
    return;
  }

  logger.error({ err, method: req.method, path: req.path }, 'Whiplash emulator request failed');
  sendWhiplashError(res, 500, 'Internal server error in the Whiplash emulator');
};
