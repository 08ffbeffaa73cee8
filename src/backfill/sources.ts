import { readFileSync } from 'node:fs';
import type { OrderQuery, WhiplashClient } from '../whiplash/api-client';
import { parseWhiplashTimestamp } from '../whiplash/order-schema';

/**
 * A position in a source after which a resumed run continues: the line number in a file, or the
 * `(updated_at, id)` of the last handled order in an API listing.
 */
export type SourceCursor = { line: number } | { updatedAtMs: number; id: number };

/** One raw Whiplash order and the cursor just after it. */
export interface SourceItem {
  order: unknown;
  cursor: SourceCursor;
}

/** Orders to backfill, in a stable order. */
export interface OrderSource {
  /** Identifies the source in a checkpoint, so a checkpoint is never applied to another backfill. */
  description: string;
  /** Counts the orders of the whole source, or returns null when that would cost as much as reading them. */
  total(): Promise<number | null>;
  /** Yields the orders after `cursor`, or all of them when it is null. */
  orders(cursor: SourceCursor | null): AsyncIterable<SourceItem>;
}

/**
 * Lists orders through `GET /api/v2/orders`, sorted by `updated_at` then `id`. A resumed listing starts at the
 * cursor's `updated_at` and skips what it already handled. Orders edited during the run leave the closed
 * window, so the rows after the cursor never shift past it.
 */
export function apiOrderSource(client: WhiplashClient, query: OrderQuery): OrderSource {
  return {
    description: `whiplash-api ${JSON.stringify(query)}`,
    total: () => client.countOrders(query),
    async *orders(cursor) {
      const after = cursor !== null && 'updatedAtMs' in cursor ? cursor : null;
      const resumed = after === null ? query : { ...query, updatedSince: new Date(after.updatedAtMs) };
      for await (const page of client.listOrderPages(resumed)) {
        for (const order of page.orders) {
          const key = orderKey(order);
          if (after !== null && key !== null && !isAfter(key, after)) continue;
          yield { order, cursor: key ?? after ?? { updatedAtMs: 0, id: 0 } };
        }
      }
    },
  };
}

/**
 * Reads orders from a file: a JSON array of orders (as `GET /api/v2/orders` returns), one JSON order, or NDJSON
 * with one order per line. Webhook bodies (`{"event_name", "order"}`) are unwrapped. A line that is not JSON
 * is yielded as it is, so the backfill rejects it with a reason instead of stopping. The file is read whole:
 * thousands of orders take a few MB.
 */
export function fileOrderSource(file: string): OrderSource {
  return {
    description: `file ${file}`,
    total: () => Promise.resolve([...readFileItems(file)].length),
    async *orders(cursor) {
      const skip = cursor !== null && 'line' in cursor ? cursor.line : 0;
      for (const item of readFileItems(file)) {
        if ((item.cursor as { line: number }).line > skip) yield item;
      }
    },
  };
}

function* readFileItems(file: string): Generator<SourceItem> {
  const text = readFileSync(file, 'utf8');
  const whole = parseJson(text);
  if (Array.isArray(whole)) {
    for (const [index, order] of whole.entries()) yield { order: unwrapWebhook(order), cursor: { line: index + 1 } };
    return;
  }
  if (whole !== undefined) {
    yield { order: unwrapWebhook(whole), cursor: { line: 1 } };
    return;
  }
  for (const [index, content] of text.split('\n').entries()) {
    if (content.trim() === '') continue;
    const order = parseJson(content);
    yield { order: order === undefined ? content : unwrapWebhook(order), cursor: { line: index + 1 } };
  }
}

/** Parses JSON, or returns undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unwrapWebhook(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'event_name' in value && 'order' in value) {
    return (value as { order: unknown }).order;
  }
  return value;
}

function orderKey(order: unknown): { updatedAtMs: number; id: number } | null {
  const { updated_at: updatedAt, id } = (order ?? {}) as { updated_at?: unknown; id?: unknown };
  const numericId = typeof id === 'string' ? Number(id) : id;
  if (typeof updatedAt !== 'string' || typeof numericId !== 'number' || !Number.isSafeInteger(numericId)) return null;
  const updatedAtMs = parseWhiplashTimestamp(updatedAt);
  return updatedAtMs === null ? null : { updatedAtMs, id: numericId };
}

function isAfter(key: { updatedAtMs: number; id: number }, cursor: { updatedAtMs: number; id: number }): boolean {
  return key.updatedAtMs !== cursor.updatedAtMs ? key.updatedAtMs > cursor.updatedAtMs : key.id > cursor.id;
}
