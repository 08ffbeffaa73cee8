import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';

import type { WhiplashEmulatorState } from './emulator-state';
import type { WhiplashEmulatorConfigUpdate } from './options';
import { sendWhiplashError } from './responses';
import { parseOrderId } from './routes';

// Large enough for tens of thousands of full orders in one `POST /_emulator/orders`.
const MAX_ADMIN_BODY_SIZE = '100mb';

const generateBodySchema = z.strictObject({
  count: z.number().int().min(0),
  consumers: z.number().int().positive(),
  stores: z.number().int().positive(),
  seed: z.number().int().min(0).optional(),
  updatedFrom: z.string().optional(),
  updatedTo: z.string().optional(),
  firstId: z.number().int().positive().optional(),
});

const clockBodySchema = z.strictObject({ advanceSeconds: z.number().min(0) });

/**
 * Creates the router for `/_emulator`: inspection and control endpoints that Whiplash does not have. They need no
 * credentials, do not count against the rate limit and are not logged.
 */
export function createAdminRouter(state: WhiplashEmulatorState): Router {
  const router = Router();
  router.use(express.json({ limit: MAX_ADMIN_BODY_SIZE }));

  router.get('/orders', (_req, res) => {
    res.json({ orders: state.listOrders() });
  });
  router.post('/orders', (req, res) => addOrders(state, req, res));
  router.post('/orders/generate', (req, res) => generateOrders(state, req, res));
  router.patch('/orders/:id', (req, res) => editOrder(state, req, res));

  router.get('/requests', (_req, res) => {
    res.json({ requests: state.requestLog.listEntries() });
  });
  // Clears the stats too, so that a test can measure one phase on its own.
  router.delete('/requests', (_req, res) => {
    state.requestLog.reset();
    res.status(204).end();
  });
  router.get('/stats', (_req, res) => {
    res.json(state.requestLog.getStats());
  });

  router.post('/tokens/expire', (_req, res) => {
    state.tokens.expireAccessTokens();
    res.status(204).end();
  });
  router.post('/clock', (req, res) => advanceClock(state, req, res));

  router.post('/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });
  router.get('/config', (_req, res) => {
    res.json(state.config);
  });
  router.put('/config', (req, res) => updateConfig(state, req, res));

  return router;
}

/** Adds or replaces the orders of a JSON array body. */
function addOrders(state: WhiplashEmulatorState, req: Request, res: Response): void {
  if (!Array.isArray(req.body)) {
    sendWhiplashError(res, 400, 'Invalid request body: send a JSON array of order objects');
    return;
  }
  try {
    res.status(201).json(state.addOrders(req.body));
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    sendWhiplashError(res, 400, `Invalid request body: ${err.message}`);
  }
}

/** Generates orders and responds with how many were added and their id range. */
function generateOrders(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const body = generateBodySchema.safeParse(req.body ?? {});
  if (!body.success) {
    sendWhiplashError(res, 400, `Invalid request body: ${describeIssue(body.error)}`);
    return;
  }
  let orders: Record<string, unknown>[];
  try {
    orders = state.generateOrders(body.data);
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    sendWhiplashError(res, 400, err.message);
    return;
  }
  res.status(201).json({
    created: orders.length,
    firstId: orders[0]?.id ?? null,
    lastId: orders.at(-1)?.id ?? null,
  });
}

/** Merges the body into one order and sets its `updated_at` to now, as an edit in Whiplash would. */
function editOrder(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const id = parseOrderId(req.params.id);
  if (id === null || state.orders.get(id) === undefined) {
    sendWhiplashError(res, 404, `Order ${String(req.params.id)} not found`);
    return;
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    sendWhiplashError(res, 400, 'Invalid request body: send a JSON object of order fields to change');
    return;
  }
  try {
    res.json(state.editOrder(id, req.body as Record<string, unknown>));
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    sendWhiplashError(res, 400, err.message);
  }
}

function advanceClock(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const body = clockBodySchema.safeParse(req.body ?? {});
  if (!body.success) {
    sendWhiplashError(res, 400, `Invalid request body: ${describeIssue(body.error)}`);
    return;
  }
  state.advanceClock(body.data.advanceSeconds * 1000);
  res.json({ now: new Date(state.now()).toISOString() });
}

function updateConfig(state: WhiplashEmulatorState, req: Request, res: Response): void {
  try {
    res.json(state.configure((req.body ?? {}) as WhiplashEmulatorConfigUpdate));
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    sendWhiplashError(res, 400, err.message);
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `${field}: ${issue?.message ?? 'invalid value'}`;
}
