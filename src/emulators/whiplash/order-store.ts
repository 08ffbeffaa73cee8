import { statusName } from '../../domain/order-status';
import type { OrderSortKey } from './order-query';
import { normalizeStoredValue } from './order-attributes';
import { compareValues, matchesSearch, type SearchCondition } from './search';
import { formatWhiplashTimestamp } from './timestamps';

/** Outcome of adding orders: how many ids were new and how many replaced a stored order. */
export interface AddOrdersResult {
  created: number;
  replaced: number;
}

/**
 * The emulator's orders, in memory, as raw JSON objects keyed by id. Every method except `search` returns copies,
 * so a caller never changes a stored order by accident.
 */
export class OrderStore {
  private readonly orders = new Map<number, Record<string, unknown>>();

  constructor(private readonly now: () => number) {}

  /**
   * Adds orders, replacing a stored order with the same id. Each order must be a JSON object whose `id` is a
   * positive integer or a string of digits. Throws a TypeError naming the first invalid order, before adding any.
   */
  add(orders: readonly unknown[]): AddOrdersResult {
    if (!Array.isArray(orders)) {
      throw new TypeError('Orders must be a JSON array of order objects');
    }
    const validated = orders.map((order, index) => {
      const id = readOrderId(order);
      if (id === null) {
        throw new TypeError(`Order ${index} must be a JSON object with a positive integer id`);
      }
      return { id, order: structuredClone(order as Record<string, unknown>) };
    });

    const result: AddOrdersResult = { created: 0, replaced: 0 };
    for (const { id, order } of validated) {
      result[this.orders.has(id) ? 'replaced' : 'created'] += 1;
      this.orders.set(id, order);
    }
    return result;
  }

  get(id: number): Record<string, unknown> | undefined {
    const order = this.orders.get(id);
    return order && structuredClone(order);
  }

  /** Returns copies of every order, by ascending id. */
  list(): Record<string, unknown>[] {
    return [...this.orders.entries()].sort(([a], [b]) => a - b).map(([, order]) => structuredClone(order));
  }

  /**
   * Returns the orders that meet every condition, sorted by `sort`. Orders that compare equal on every sort key
   * keep the order in which they were first added, so only an `id` tie-break makes paging stable. The result
   * contains the stored objects themselves, because copying every match of a large listing would be slow.
   */
  search(conditions: readonly SearchCondition[], sort: readonly OrderSortKey[]): Record<string, unknown>[] {
    const matches = [...this.orders.values()].filter((order) => matchesSearch(order, conditions));
    if (sort.length > 0) {
      matches.sort((a, b) => compareOrders(a, b, sort));
    }
    return matches;
  }

  count(conditions: readonly SearchCondition[]): number {
    let count = 0;
    for (const order of this.orders.values()) {
      if (matchesSearch(order, conditions)) {
        count += 1;
      }
    }
    return count;
  }

  /**
   * Merges `fields` into the top level of an order, as an edit in Whiplash would change it, and returns the
   * result. `updated_at` becomes the emulator's current time unless `fields` sets it. A new `status` without a
   * `status_name` also updates `status_name` and `previous_status`. Returns undefined when no order has the id,
   * and throws a TypeError when `fields` would change the id.
   */
  edit(id: number, fields: Record<string, unknown>): Record<string, unknown> | undefined {
    const order = this.orders.get(id);
    if (!order) {
      return undefined;
    }
    if ('id' in fields && readOrderId({ id: fields.id }) !== id) {
      throw new TypeError(`An edit cannot change the id of order ${id}`);
    }

    const changes = structuredClone(fields);
    if (typeof changes.status === 'number' && changes.status !== order.status && !('status_name' in changes)) {
      changes.status_name = statusName(changes.status);
      changes.previous_status ??= order.status ?? null;
    }
    Object.assign(order, changes);
    if (!('updated_at' in fields)) {
      order.updated_at = formatWhiplashTimestamp(this.now());
    }
    return structuredClone(order);
  }

  /** Returns the highest stored id, or 0 when there are no orders. */
  maxId(): number {
    let max = 0;
    for (const id of this.orders.keys()) {
      max = Math.max(max, id);
    }
    return max;
  }

  /** Deletes every order, then adds `orders`. */
  reset(orders: readonly unknown[]): void {
    this.orders.clear();
    this.add(orders);
  }
}

/**
 * Compares two orders by the sort keys. Like PostgreSQL, null sorts after every value in ascending order and
 * before every value in descending order.
 */
function compareOrders(a: Record<string, unknown>, b: Record<string, unknown>, sort: readonly OrderSortKey[]): number {
  for (const key of sort) {
    const left = normalizeStoredValue(a[key.attribute], key.kind);
    const right = normalizeStoredValue(b[key.attribute], key.kind);
    let order: number;
    if (left === null && right === null) {
      order = 0;
    } else if (left === null) {
      order = 1;
    } else if (right === null) {
      order = -1;
    } else {
      order = compareValues(left, right);
    }
    if (order !== 0) {
      return key.direction === 'asc' ? order : -order;
    }
  }
  return 0;
}

/** Reads an order id given as a positive integer or a string of digits, or returns null. */
function readOrderId(order: unknown): number | null {
  if (typeof order !== 'object' || order === null || Array.isArray(order)) {
    return null;
  }
  const raw = (order as { id?: unknown }).id;
  const id = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}
