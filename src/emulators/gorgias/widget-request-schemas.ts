import { z } from 'zod';

import { decodeCursor, type QueryError } from './request-schemas';
import type { WidgetFilter, WidgetOrder } from './types';

/** Widget types the Gorgias widget docs list. */
export const WIDGET_TYPES = [
  'bigcommerce',
  'custom',
  'customer_external_data',
  'http',
  'magento2',
  'recharge',
  'shopify',
  'smile',
  'standalone',
  'yotpo',
  'klaviyo',
  'stripe',
  'woocommerce',
] as const;

/**
 * One node of a widget template, such as a card, a list or a leaf like `text`. Fields other than these pass
 * through, because Gorgias nodes also carry `meta` and other display settings.
 */
const templateNodeSchema = z.looseObject({
  type: z.string().min(1),
  title: z.string().optional(),
  path: z.string().optional(),
  get widgets() {
    return z.array(templateNodeSchema).optional();
  },
});

/** A template root, which Gorgias requires to be `{"type": "wrapper", "widgets": [...]}`. */
const widgetTemplateSchema = z.looseObject({
  type: z.literal('wrapper', { error: 'must be "wrapper" at the template root' }),
  widgets: z.array(templateNodeSchema),
});

const widgetFieldSchemas = {
  type: z.enum(WIDGET_TYPES),
  context: z.enum(['ticket', 'customer']).optional(),
  template: widgetTemplateSchema,
  order: z.number().int().optional(),
  integration_id: z.number().int().positive().nullable().optional(),
  app_id: z.string().min(1).nullable().optional(),
  deactivated_datetime: z.string().nullable().optional(),
};

/**
 * Body of `POST /api/widgets`. An `http` widget needs the `integration_id` whose data it shows, and a
 * `customer_external_data` widget needs an `app_id`.
 */
export const createWidgetBodySchema = z.strictObject(widgetFieldSchemas).superRefine((body, ctx) => {
  if (body.type === 'http' && (body.integration_id ?? null) === null) {
    ctx.addIssue({ code: 'custom', path: ['integration_id'], message: 'Required for widgets of type http' });
  }
  if (body.type === 'customer_external_data' && (body.app_id ?? null) === null) {
    ctx.addIssue({ code: 'custom', path: ['app_id'], message: 'Required for widgets of type customer_external_data' });
  }
});

/** Body of `PUT /api/widgets/{id}`. Every field is optional, and a given field replaces the stored one whole. */
export const updateWidgetBodySchema = z.strictObject(widgetFieldSchemas).partial();

/** Validated query of `GET /api/widgets`. */
export interface WidgetListQuery {
  filter: WidgetFilter;
  order: WidgetOrder;
  offset: number;
  limit: number;
}

const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 100;
const LIST_PARAMETERS = new Set(['integration_id', 'app_id', 'order_by', 'cursor', 'limit']);
const ORDER_BY = /^(created_datetime|order):(asc|desc)$/;

/** Validates the widget list query. Like Gorgias, it rejects unknown parameters with 400. */
export function parseWidgetListQuery(query: Record<string, unknown>): WidgetListQuery | QueryError {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!LIST_PARAMETERS.has(name)) {
      return { parameter: name, msg: `Unknown query parameter: ${name}` };
    }
    if (typeof value !== 'string') {
      return { parameter: name, msg: `Query parameter ${name} must be given once` };
    }
    params[name] = value;
  }

  const limit = params.limit === undefined ? DEFAULT_PAGE_SIZE : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    return { parameter: 'limit', msg: `Invalid limit: must be an integer from 1 to ${MAX_PAGE_SIZE}` };
  }
  const offset = params.cursor === undefined ? 0 : decodeCursor(params.cursor);
  if (offset === null) {
    return { parameter: 'cursor', msg: 'Invalid cursor' };
  }
  // NOTE: Gorgias does not document the default order. The emulator lists the oldest widget first.
  const orderMatch = ORDER_BY.exec(params.order_by ?? 'created_datetime:asc');
  if (!orderMatch) {
    const msg = 'Invalid order_by: use created_datetime or order, followed by :asc or :desc';
    return { parameter: 'order_by', msg };
  }
  const integrationId = params.integration_id === undefined ? undefined : Number(params.integration_id);
  if (integrationId !== undefined && (!Number.isSafeInteger(integrationId) || integrationId <= 0)) {
    return { parameter: 'integration_id', msg: 'Invalid integration_id: must be a positive integer' };
  }

  const order = { field: orderMatch[1], direction: orderMatch[2] } as WidgetOrder;
  return { filter: { integrationId, appId: params.app_id }, order, offset, limit };
}
