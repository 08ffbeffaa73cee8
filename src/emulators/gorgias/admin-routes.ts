import express, { Router, type Request, type Response } from 'express';

import type { GorgiasEmulatorState } from './emulator-state';
import type { GorgiasEmulatorConfigUpdate } from './options';
import { createCustomerBodySchema, parseBodyOrReject } from './request-schemas';
import { sendGorgiasError } from './responses';

/**
 * Creates the router for `/_emulator`: inspection and control endpoints that Gorgias does not have. They need no
 * credentials and do not count against the rate limit.
 */
export function createAdminRouter(state: GorgiasEmulatorState): Router {
  const router = Router();
  router.use(express.json());

  router.get('/requests', (_req, res) => {
    res.json({ requests: state.requestLog.listEntries() });
  });

  router.delete('/requests', (_req, res) => {
    state.requestLog.clearEntries();
    res.status(204).end();
  });

  router.post('/customers', (req, res) => seedCustomer(state, req, res));

  router.get('/widgets', (_req, res) => {
    res.json({ widgets: state.widgets.list({}, { field: 'created_datetime', direction: 'asc' }) });
  });

  router.post('/reset', (_req, res) => {
    state.reset();
    res.status(204).end();
  });

  router.get('/stats', (_req, res) => {
    res.json(state.requestLog.getStats());
  });

  router.get('/config', (_req, res) => {
    res.json(state.config);
  });

  router.put('/config', (req, res) => updateConfig(state, req, res));

  return router;
}

/** Creates a customer without the duplicate-email check of `POST /api/customers`. */
function seedCustomer(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const body = parseBodyOrReject(createCustomerBodySchema, req, res);
  if (body === null) return;

  const result = state.customers.create(body, { allowDuplicateEmail: true });
  if (result.kind !== 'ok') {
    throw new Error(`Internal error: seeding a customer returned ${result.kind}`);
  }
  res.status(201).json(result.customer);
}

function updateConfig(state: GorgiasEmulatorState, req: Request, res: Response): void {
  try {
    res.json(state.configure((req.body ?? {}) as GorgiasEmulatorConfigUpdate));
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    sendGorgiasError(res, 400, err.message);
  }
}
