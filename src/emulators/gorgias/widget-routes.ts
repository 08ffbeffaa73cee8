import { Router, type Request, type Response } from 'express';

import type { GorgiasEmulatorState } from './emulator-state';
import { parseBodyOrReject } from './request-schemas';
import { sendCursorPage } from './cursor-page';
import { sendGorgiasError } from './responses';
import { createWidgetBodySchema, parseWidgetListQuery, updateWidgetBodySchema } from './widget-request-schemas';

/** Creates the router for the Gorgias sidebar widget endpoints, to mount under `/api`. */
export function createWidgetRouter(state: GorgiasEmulatorState): Router {
  const router = Router();
  router.get('/widgets', (req, res) => listWidgets(state, req, res));
  router.post('/widgets', (req, res) => createWidget(state, req, res));
  router.get('/widgets/:id', (req, res) => getWidget(state, req, res));
  router.put('/widgets/:id', (req, res) => updateWidget(state, req, res));
  router.delete('/widgets/:id', (req, res) => deleteWidget(state, req, res));
  return router;
}

function listWidgets(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const query = parseWidgetListQuery(req.query as Record<string, unknown>);
  if ('msg' in query) {
    sendGorgiasError(res, 400, query.msg, { [query.parameter]: [query.msg] });
    return;
  }

  sendCursorPage(res, state.widgets.list(query.filter, query.order), query.offset, query.limit);
}

function createWidget(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const body = parseBodyOrReject(createWidgetBodySchema, req, res);
  if (body === null) return;
  res.status(201).json(state.widgets.create(body));
}

function getWidget(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseWidgetId(req.params.id);
  const widget = id === null ? undefined : state.widgets.get(id);
  if (!widget) {
    sendGorgiasError(res, 404, 'Widget not found');
    return;
  }
  res.json(widget);
}

/** Replaces the given fields, the whole template included, and responds 202 with the widget. */
function updateWidget(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseWidgetId(req.params.id);
  if (id === null) {
    sendGorgiasError(res, 404, 'Widget not found');
    return;
  }
  const body = parseBodyOrReject(updateWidgetBodySchema, req, res);
  if (body === null) return;
  const widget = state.widgets.update(id, body);
  if (!widget) {
    sendGorgiasError(res, 404, `Widget ${id} not found`);
    return;
  }
  res.status(202).json(widget);
}

function deleteWidget(state: GorgiasEmulatorState, req: Request, res: Response): void {
  const id = parseWidgetId(req.params.id);
  if (id === null || !state.widgets.delete(id)) {
    sendGorgiasError(res, 404, 'Widget not found');
    return;
  }
  res.status(204).end();
}

function parseWidgetId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) {
    return null;
  }
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}
