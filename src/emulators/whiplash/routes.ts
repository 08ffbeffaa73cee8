import { Router, type Request, type Response } from 'express';

import type { WhiplashEmulatorState } from './emulator-state';
import { parseOrderCountQuery, parseOrderListQuery } from './order-query';
import { sendWhiplashError } from './responses';

/** Creates the router for the Whiplash order endpoints, to mount under `/api/v2`. */
export function createOrderRouter(state: WhiplashEmulatorState): Router {
  const router = Router();
  router.get('/orders', (req, res) => listOrders(state, req, res));
  // Registered before `/orders/:id` so that "count" is not read as an id.
  router.get('/orders/count', (req, res) => countOrders(state, req, res));
  router.get('/orders/:id', (req, res) => getOrder(state, req, res));
  return router;
}

/** Responds with a bare JSON array of full orders, with no envelope, page count or cursor, as Whiplash does. */
function listOrders(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const query = parseOrderListQuery(req.query as Record<string, unknown>);
  if ('message' in query) {
    sendWhiplashError(res, query.status, query.message);
    return;
  }

  const matches = state.orders.search(query.conditions, query.sort);
  const start = (query.page - 1) * query.perPage;
  res.json(matches.slice(start, start + query.perPage));
}

function countOrders(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const conditions = parseOrderCountQuery(req.query as Record<string, unknown>);
  if ('message' in conditions) {
    sendWhiplashError(res, conditions.status, conditions.message);
    return;
  }
  res.json({ count: state.orders.count(conditions) });
}

function getOrder(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const id = parseOrderId(req.params.id);
  const order = id === null ? undefined : state.orders.get(id);
  if (!order) {
    sendWhiplashError(res, 404, `Order ${String(req.params.id)} not found`);
    return;
  }
  res.json(order);
}

/** Parses a path id of up to 15 digits without a leading zero, or returns null. */
export function parseOrderId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,14}$/.test(value)) {
    return null;
  }
  return Number(value);
}
