import { Router, type Request, type Response } from 'express';

import type { GorgiasEmulatorState } from './emulator-state';
import {
  createCustomerBodySchema,
  customerDataBodySchema,
  parseBodyOrReject,
  parseListQuery,
  parseVersion,
  updateCustomerBodySchema,
} from './request-schemas';
import { sendCursorPage } from './cursor-page';
import { sendGorgiasError } from './responses';
import type { WriteResult } from './types';

/** Creates the router for the Gorgias customer endpoints, to mount under `/api`. */
export function createCustomerRouter(state: GorgiasEmulatorState): Router {
  const router = Router();
  router.get('/customers', (req, res) => listCustomers(state, req, res));
  router.post('/customers', (req, res) => createCustomer(state, req, res));
  // Registered before `/customers/:id` so that "merge" is not read as an id.
  router.put('/customers/merge', (req, res) => mergeCustomers(state, req, res));
  router.get('/customers/:id', (req, res) => getCustomer(state, req, res));
  router.put('/customers/:id', (req, res) => updateCustomer(state, req, res));
  router.put('/customers/:id/data', (req, res) => setCustomerData(state, req, res));
  return router;
}

function listCustomers(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const query = parseListQuery(req.query as Record<string, unknown>);
  if ('msg' in query) {
    sendGorgiasError(res, 400, query.msg, { [query.parameter]: [query.msg] });
    return;
  }

  sendCursorPage(res, state.customers.list(query.filter, query.order), query.offset, query.limit);
}

function createCustomer(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const body = parseBodyOrReject(createCustomerBodySchema, req, res);
  if (body === null) return;
  sendWriteResult(res, state.customers.create(body), 201);
}

function getCustomer(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseCustomerId(req.params.id);
  const customer = id === null ? undefined : state.customers.get(id);
  if (!customer) {
    sendGorgiasError(res, 404, 'Customer not found');
    return;
  }
  res.json(customer);
}

function updateCustomer(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseCustomerId(req.params.id);
  if (id === null) {
    sendGorgiasError(res, 404, 'Customer not found');
    return;
  }
  const body = parseBodyOrReject(updateCustomerBodySchema, req, res);
  if (body === null) return;
  sendWriteResult(res, state.customers.update(id, body), 202);
}

/** Replaces the data blob. Responds 202 with an empty body, or 301 to the target when the customer was merged. */
function setCustomerData(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseCustomerId(req.params.id);
  if (id === null) {
    sendGorgiasError(res, 404, 'Customer not found');
    return;
  }
  const body = parseBodyOrReject(customerDataBodySchema, req, res);
  if (body === null) return;
  const version = body.version ?? null;
  const versionMicros = version === null ? null : parseVersion(version);
  if (version !== null && versionMicros === null) {
    const msg = 'Invalid version: expected an ISO 8601 datetime such as 2024-05-13T12:34:21.918927';
    sendGorgiasError(res, 400, msg, { version: [msg] });
    return;
  }

  const delayMs = state.config.dataApplyDelayMs;
  const result = state.customers.writeData(id, body.data, versionMicros, delayMs);
  if (result.kind === 'merged') {
    res
      .status(301)
      .location(`${req.protocol}://${req.get('host')}/api/customers/${result.targetId}/data`)
      .end();
  } else if (result.kind === 'not-found') {
    sendGorgiasError(res, 404, 'Customer not found');
  } else {
    res.status(202).end();
  }
}

/** Merges `source_id` into `target_id`. The optional body contains new attributes for the target. */
function mergeCustomers(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const unknown = Object.keys(req.query).find((name) => name !== 'source_id' && name !== 'target_id');
  if (unknown !== undefined) {
    sendGorgiasError(res, 400, `Unknown query parameter: ${unknown}`, { [unknown]: ['Unknown field.'] });
    return;
  }
  const sourceId = parseCustomerId(req.query.source_id);
  const targetId = parseCustomerId(req.query.target_id);
  if (sourceId === null || targetId === null || sourceId === targetId) {
    const msg = 'source_id and target_id must be two different customer ids';
    sendGorgiasError(res, 400, msg, { source_id: [msg], target_id: [msg] });
    return;
  }
  const body = parseBodyOrReject(updateCustomerBodySchema, req, res);
  if (body === null) return;
  sendWriteResult(res, state.customers.merge(sourceId, targetId, body), 200);
}

function sendWriteResult(res: Response, result: WriteResult, successStatus: number): void {
  if (result.kind === 'ok') {
    res.status(successStatus).json(result.customer);
  } else if (result.kind === 'not-found') {
    sendGorgiasError(res, 404, `Customer ${result.id} not found`);
  } else {
    const msg = 'A customer with this email address already exists';
    sendGorgiasError(res, 409, msg, { email: [msg] });
  }
}

function parseCustomerId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) {
    return null;
  }
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}
