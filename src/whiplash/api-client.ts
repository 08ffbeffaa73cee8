import { WhiplashResponseError } from './api-errors';
import { resolveWhiplashClientOptions, type WhiplashClientOptions } from './api-options';
import { createWhiplashTransport, type ApiRequest, type WhiplashTransport } from './api-transport';

export {
  isRetryableWhiplashError,
  WhiplashApiError,
  WhiplashNetworkError,
  WhiplashResponseError,
  type RedactedRequest,
} from './api-errors';
export type { WhiplashAuth, WhiplashClientOptions } from './api-options';

/**
 * Filters of an order listing or count, sent as Ransack predicates in the `search` parameter.
 *
 * NOTE: Whiplash documents the fields behind `shopId` and `customerId` but not their predicate names, so these
 * two are inferred. `search` can replace them.
 */
export interface OrderQuery {
  /** Orders updated at or after this time (`updated_at_gteq`). */
  updatedSince?: Date;
  /** Orders updated before this time (`updated_at_lt`). */
  updatedUntil?: Date;
  /** Orders with one of these status codes (`status_in`). */
  statuses?: number[];
  /** Orders of one sales channel (`originator_shop_id_eq`). */
  shopId?: number;
  /** Orders of one Whiplash merchant account (`customer_id_eq`). */
  customerId?: number;
  /** Raw Ransack predicates merged in last, so they can replace any predicate the fields above produce. */
  search?: Record<string, unknown>;
  /** Orders per page. @default 50 */
  perPage?: number;
}

/** One page of a listing: raw order objects as Whiplash returns them, not parsed. */
export interface OrderPage {
  /** Page number, starting at 1. */
  page: number;
  orders: unknown[];
}

/** Per-call options. */
export interface WhiplashCallOptions {
  /** Aborts the call. The call then rejects with the abort reason itself, not with a Whiplash error. */
  signal?: AbortSignal;
}

/** Typed client for the order endpoints of the Whiplash API V2. */
export interface WhiplashClient {
  /** Counts the orders that match `query` (`GET /api/v2/orders/count`). */
  countOrders(query: OrderQuery, options?: WhiplashCallOptions): Promise<number>;
  /**
   * Lists the orders that match `query`, sorted by `updated_at` then `id`, one page per iteration. It stops after
   * the first page shorter than `perPage` and does not yield an empty page. `startPage` resumes a listing.
   * Pages are offsets into the sorted result, so an order edited during the listing moves, and a later page can
   * skip or repeat a row. Process orders idempotently, and list again from the last `updated_at` seen to catch
   * a skipped row.
   */
  listOrderPages(query: OrderQuery, options?: WhiplashCallOptions & { startPage?: number }): AsyncGenerator<OrderPage>;
  /** Fetches one order by its Whiplash id. Throws a WhiplashApiError with status 404 when it does not exist. */
  getOrder(id: number, options?: WhiplashCallOptions): Promise<unknown>;
}

/** Sort of every listing: a stable order, because `id` breaks ties between equal `updated_at` values. */
export const ORDER_SORT = 'updated_at asc,id asc';

const DEFAULT_PER_PAGE = 50;

/** Creates a Whiplash client. Throws a TypeError naming the option when an option is invalid. */
export function createWhiplashClient(options: WhiplashClientOptions): WhiplashClient {
  const send = createWhiplashTransport(resolveWhiplashClientOptions(options));

  return {
    countOrders: (query, callOptions) => countOrders(send, query, callOptions?.signal),
    listOrderPages: (query, callOptions) => listOrderPages(send, query, callOptions?.startPage, callOptions?.signal),
    getOrder: (id, callOptions) => getOrder(send, id, callOptions?.signal),
  };
}

/**
 * Converts a query to the Ransack predicates of the `search` parameter. Throws a TypeError naming the field when
 * a value is invalid.
 */
export function buildOrderSearch(query: OrderQuery): Record<string, unknown> {
  const search: Record<string, unknown> = {};
  const { updatedSince, updatedUntil } = query;

  if (updatedSince !== undefined) {
    search.updated_at_gteq = toIsoTime('updatedSince', updatedSince);
  }
  if (updatedUntil !== undefined) {
    search.updated_at_lt = toIsoTime('updatedUntil', updatedUntil);
  }
  if (updatedSince !== undefined && updatedUntil !== undefined && updatedSince.getTime() > updatedUntil.getTime()) {
    throw new TypeError(
      `Whiplash order query updatedSince (${updatedSince.toISOString()}) is after updatedUntil ` +
        `(${updatedUntil.toISOString()}), so no order could match`,
    );
  }
  if (query.statuses !== undefined) {
    search.status_in = validateStatuses(query.statuses);
  }
  if (query.shopId !== undefined) {
    search.originator_shop_id_eq = requirePositiveInteger('order query shopId', query.shopId);
  }
  if (query.customerId !== undefined) {
    search.customer_id_eq = requirePositiveInteger('order query customerId', query.customerId);
  }
  if (query.search !== undefined) {
    if (typeof query.search !== 'object' || query.search === null || Array.isArray(query.search)) {
      throw new TypeError('Whiplash order query search must be an object of Ransack predicates');
    }
    Object.assign(search, query.search);
  }
  return search;
}

async function countOrders(send: WhiplashTransport, query: OrderQuery, signal?: AbortSignal): Promise<number> {
  const params = new URLSearchParams({ search: JSON.stringify(buildOrderSearch(query)) });
  const request: ApiRequest = { path: `/api/v2/orders/count?${params}`, route: '/api/v2/orders/count', signal };
  const response = await send(request);

  const count = (response.body as { count?: unknown } | null)?.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new WhiplashResponseError('GET', request.path, response.status, 'count is not a non-negative integer');
  }
  return count;
}

/** Validates the query and the start page at once, before the first page is requested. */
function listOrderPages(
  send: WhiplashTransport,
  query: OrderQuery,
  startPage: number | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<OrderPage> {
  const search = JSON.stringify(buildOrderSearch(query));
  const perPage = requirePositiveInteger('order query perPage', query.perPage ?? DEFAULT_PER_PAGE);
  const firstPage = requirePositiveInteger('listOrderPages option startPage', startPage ?? 1);
  return fetchOrderPages(send, search, perPage, firstPage, signal);
}

async function* fetchOrderPages(
  send: WhiplashTransport,
  search: string,
  perPage: number,
  firstPage: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<OrderPage> {
  let previousIds: string | null = null;

  for (let page = firstPage; ; page += 1) {
    const params = new URLSearchParams({ search, sort: ORDER_SORT, page: String(page), per_page: String(perPage) });
    const request: ApiRequest = { path: `/api/v2/orders?${params}`, route: '/api/v2/orders', signal };
    const response = await send(request);
    const orders = readOrderArray(response.body, request, response.status);

    // A server that ignored `page` would return the first page forever, and the listing would never end.
    const ids = JSON.stringify(orders.map((order) => (order as { id?: unknown }).id));
    if (orders.length === perPage && ids === previousIds) {
      throw new WhiplashResponseError('GET', request.path, response.status, `page ${page} repeats page ${page - 1}`);
    }
    previousIds = ids;

    if (orders.length > 0) {
      yield { page, orders };
    }
    if (orders.length < perPage) {
      return;
    }
  }
}

async function getOrder(send: WhiplashTransport, id: number, signal?: AbortSignal): Promise<unknown> {
  requirePositiveInteger('order id', id);
  const request: ApiRequest = { path: `/api/v2/orders/${id}`, route: '/api/v2/orders/:id', signal };
  const response = await send(request);
  if (!isObject(response.body)) {
    throw new WhiplashResponseError('GET', request.path, response.status, 'the order is not a JSON object');
  }
  return response.body;
}

/** Checks that a listing body is a bare JSON array of objects, as Whiplash returns it. */
function readOrderArray(body: unknown, request: ApiRequest, status: number): unknown[] {
  if (!Array.isArray(body)) {
    throw new WhiplashResponseError('GET', request.path, status, 'expected a JSON array of orders');
  }
  const index = body.findIndex((order) => !isObject(order));
  if (index >= 0) {
    throw new WhiplashResponseError('GET', request.path, status, `item ${index} of the array is not an order object`);
  }
  return body;
}

function toIsoTime(field: string, value: Date): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`Whiplash order query ${field} must be a valid Date, got ${String(value)}`);
  }
  return value.toISOString();
}

function validateStatuses(statuses: number[]): number[] {
  if (!Array.isArray(statuses) || statuses.length === 0) {
    // Ransack drops a condition with an empty list, so Whiplash would return orders of every status.
    throw new TypeError('Whiplash order query statuses must not be empty. Leave it out to list every status');
  }
  for (const status of statuses) {
    if (!Number.isSafeInteger(status) || status < 0) {
      throw new TypeError(`Whiplash order query statuses must contain status codes, got ${String(status)}`);
    }
  }
  return [...statuses];
}

function requirePositiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`Whiplash ${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
