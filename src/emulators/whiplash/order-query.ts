import { getOrderSchema, type AttributeKind } from './order-attributes';
import { parseSearch, type SearchCondition } from './search';

/** One key of the `sort` parameter. */
export interface OrderSortKey {
  attribute: string;
  kind: AttributeKind;
  direction: 'asc' | 'desc';
}

/** Validated query of `GET /api/v2/orders`. */
export interface OrderListQuery {
  conditions: SearchCondition[];
  sort: OrderSortKey[];
  page: number;
  perPage: number;
}

/** A rejected query, with the status to respond with and a message naming the parameter. */
export interface QueryError {
  status: 400 | 422;
  message: string;
}

/** Page size when `per_page` is missing. Whiplash documents no default, and 50 is the emulator's choice. */
export const DEFAULT_PER_PAGE = 50;

/**
 * Largest `per_page` the emulator accepts. Larger values get a 422 rather than a silently shorter page. Whiplash
 * documents no maximum, and 250 is the emulator's choice.
 */
export const MAX_PER_PAGE = 250;

// Without `sort`, orders come by ascending id. Whiplash documents no default order.
const DEFAULT_SORT: OrderSortKey[] = [{ attribute: 'id', kind: 'number', direction: 'asc' }];
const LIST_PARAMETERS = new Set(['search', 'sort', 'page', 'per_page']);
// Parameters the Whiplash API documents for this endpoint that the emulator does not model.
const UNMODELLED_PARAMETERS = new Set(['fields', 'page_total', 'page_links']);

/** Validates the query of `GET /api/v2/orders`. */
export function parseOrderListQuery(query: Record<string, unknown>): OrderListQuery | QueryError {
  const params = readParameters(query, LIST_PARAMETERS);
  if ('message' in params) {
    return params;
  }

  const conditions = parseSearchParameter(params.get('search'));
  if ('message' in conditions) {
    return conditions;
  }
  const sortText = params.get('sort');
  const sort = sortText === undefined ? DEFAULT_SORT : parseSort(sortText);
  if ('message' in sort) {
    return sort;
  }
  const page = parsePositiveInteger('page', params.get('page'), 1);
  if (typeof page !== 'number') {
    return page;
  }
  const perPage = parsePositiveInteger('per_page', params.get('per_page'), DEFAULT_PER_PAGE);
  if (typeof perPage !== 'number') {
    return perPage;
  }
  if (perPage > MAX_PER_PAGE) {
    return {
      status: 422,
      message: `Invalid per_page ${perPage}: the Whiplash emulator returns at most ${MAX_PER_PAGE}`,
    };
  }
  return { conditions, sort, page, perPage };
}

/** Validates the query of `GET /api/v2/orders/count`, which takes only `search`. */
export function parseOrderCountQuery(query: Record<string, unknown>): SearchCondition[] | QueryError {
  const params = readParameters(query, new Set(['search']));
  return 'message' in params ? params : parseSearchParameter(params.get('search'));
}

/** Parses `sort`: comma-separated keys such as `updated_at asc,id asc`, where the direction defaults to asc. */
export function parseSort(sort: string): OrderSortKey[] | QueryError {
  const keys: OrderSortKey[] = [];
  for (const part of sort.split(',')) {
    const [attribute = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    const normalizedDirection = direction.toLowerCase();
    if (attribute === '' || rest.length > 0 || (normalizedDirection !== 'asc' && normalizedDirection !== 'desc')) {
      return {
        status: 400,
        message: `Invalid sort key "${part.trim()}": use "field asc" or "field desc", separated by commas`,
      };
    }
    const kind = getOrderSchema().attributes.get(attribute);
    if (kind === undefined) {
      return {
        status: 422,
        message: `Unknown sort field "${attribute}": sort by a field of the order such as updated_at`,
      };
    }
    keys.push({ attribute, kind, direction: normalizedDirection });
  }
  return keys;
}

function parseSearchParameter(search: string | undefined): SearchCondition[] | QueryError {
  if (search === undefined) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(search);
  } catch {
    return { status: 400, message: 'Invalid search: it is not valid JSON. Send a JSON object of Ransack conditions' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      status: 400,
      message:
        'Invalid search: it must be a JSON object of Ransack conditions, ' +
        'such as {"updated_at_gteq":"2026-03-01T00:00:00Z"}',
    };
  }

  const result = parseSearch(parsed as Record<string, unknown>);
  return result.ok ? result.conditions : { status: 422, message: result.message };
}

function readParameters(query: Record<string, unknown>, allowed: Set<string>): Map<string, string> | QueryError {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (UNMODELLED_PARAMETERS.has(name)) {
      return { status: 400, message: `Query parameter ${name} is not supported by the Whiplash emulator` };
    }
    if (!allowed.has(name)) {
      return { status: 400, message: `Unknown query parameter: ${name}` };
    }
    if (typeof value !== 'string') {
      return { status: 400, message: `Query parameter ${name} must be given once` };
    }
    params.set(name, value);
  }
  return params;
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number): number | QueryError {
  if (value === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    return { status: 400, message: `Invalid ${name} ${JSON.stringify(value)}: it must be a positive integer` };
  }
  return Number(value);
}
