import { GorgiasResponseError } from './errors';
import type { Transport, TransportRequest } from './http';
import {
  gorgiasWidgetPageSchema,
  gorgiasWidgetSchema,
  parseBody,
  type GorgiasWidget,
  type GorgiasWidgetPage,
} from './schemas';

/** Sidebar page a widget appears on. Each context needs its own widget. */
export type GorgiasWidgetContext = 'ticket' | 'customer';

/**
 * One node of a widget template. A `card` groups child widgets under a title, a `list` repeats its single child
 * for each element of the array at `path`, and leaves (`text`, `date`, `boolean`, `email`, `url`, `array`) show
 * the value at `path`. Each `path` is relative to the parent node's data.
 */
export interface GorgiasWidgetTemplateNode {
  type: string;
  title?: string;
  path?: string;
  widgets?: GorgiasWidgetTemplateNode[];
  meta?: Record<string, unknown>;
}

/** A widget template. Gorgias requires a `wrapper` at the root. */
export interface GorgiasWidgetTemplate {
  type: 'wrapper';
  widgets: GorgiasWidgetTemplateNode[];
}

/** Fields of a widget to create, or to replace with `PUT /api/widgets/{id}`. */
export interface GorgiasWidgetInput {
  /** Data source, e.g. `custom`, which renders the customer's `data` blob. */
  type: string;
  context: GorgiasWidgetContext;
  /** Replaces the stored template as a whole on update. */
  template: GorgiasWidgetTemplate;
  /** Position in the sidebar, lower first. Left out, Gorgias keeps its default or the current value. */
  order?: number;
}

/** Options of one `GET /api/widgets` page. */
export interface ListGorgiasWidgetsOptions {
  /** Cursor from the previous page's `meta.next_cursor`. Cursors expire quickly, so do not store them. */
  cursor?: string;
  /** Page size from 1 to 100. @default 100 */
  limit?: number;
}

const MAX_PAGE_SIZE = 100;

/** Fetches one page of widgets, oldest first. */
export async function listWidgets(
  send: Transport,
  options: ListGorgiasWidgetsOptions,
  signal?: AbortSignal,
): Promise<GorgiasWidgetPage> {
  const limit = options.limit ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new TypeError(`Gorgias widget list limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }

  const query = new URLSearchParams({ order_by: 'created_datetime:asc', limit: String(limit) });
  if (options.cursor !== undefined) {
    query.set('cursor', options.cursor);
  }
  const request: TransportRequest = { method: 'GET', path: `/api/widgets?${query}`, route: '/api/widgets', signal };
  const response = await send(request);
  return parseBody(gorgiasWidgetPageSchema, response.body, request, response.status);
}

/** Yields every widget of the account, oldest first, fetching the pages one at a time. */
export async function* iterateWidgets(send: Transport, signal?: AbortSignal): AsyncGenerator<GorgiasWidget> {
  const seenCursors = new Set<string>();
  let cursor: string | undefined;

  do {
    const page = await listWidgets(send, { cursor }, signal);
    yield* page.data;

    cursor = page.meta.next_cursor ?? undefined;
    if (cursor !== undefined && seenCursors.has(cursor)) {
      throw new GorgiasResponseError('GET', '/api/widgets', 200, 'meta.next_cursor repeats an earlier cursor');
    }
    if (cursor !== undefined) {
      seenCursors.add(cursor);
    }
  } while (cursor !== undefined);
}

export async function listAllWidgets(send: Transport, signal?: AbortSignal): Promise<GorgiasWidget[]> {
  const widgets: GorgiasWidget[] = [];
  for await (const widget of iterateWidgets(send, signal)) {
    widgets.push(widget);
  }
  return widgets;
}

export async function getWidget(send: Transport, id: number, signal?: AbortSignal): Promise<GorgiasWidget> {
  const request = widgetRequest('GET', id, signal);
  const response = await send(request);
  return parseBody(gorgiasWidgetSchema, response.body, request, response.status);
}

export async function createWidget(
  send: Transport,
  input: GorgiasWidgetInput,
  signal?: AbortSignal,
): Promise<GorgiasWidget> {
  const request: TransportRequest = {
    method: 'POST',
    path: '/api/widgets',
    route: '/api/widgets',
    body: buildWidgetBody(input),
    signal,
  };
  const response = await send(request);
  return parseBody(gorgiasWidgetSchema, response.body, request, response.status);
}

/** Replaces a widget's fields. Returns null when Gorgias accepts the update (202) with an empty body. */
export async function updateWidget(
  send: Transport,
  id: number,
  input: GorgiasWidgetInput,
  signal?: AbortSignal,
): Promise<GorgiasWidget | null> {
  const request = { ...widgetRequest('PUT', id, signal), body: buildWidgetBody(input) };
  const response = await send(request);
  if (response.body === null) {
    return null;
  }
  return parseBody(gorgiasWidgetSchema, response.body, request, response.status);
}

function buildWidgetBody(input: GorgiasWidgetInput): Record<string, unknown> {
  const body: Record<string, unknown> = { type: input.type, context: input.context, template: input.template };
  if (input.order !== undefined) {
    body.order = input.order;
  }
  return body;
}

function widgetRequest(method: 'GET' | 'PUT', id: number, signal: AbortSignal | undefined): TransportRequest {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(`Gorgias widget id must be a positive integer, got ${id}`);
  }
  return { method, path: `/api/widgets/${id}`, route: '/api/widgets/:id', signal };
}
