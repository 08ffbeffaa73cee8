import type { OrderEventSource } from '../domain/order-event';
import type { OrderEventDelivery } from '../sync/deliver-order-event';
import { parseWhiplashOrder } from '../whiplash/parse-order';
import type { OrderSource, SourceCursor } from './sources';

/** One order that could not be sent, with the reason. */
export interface RejectedOrder {
  /** The order's `id` when it has a readable one. */
  orderId: number | string | null;
  reason: string;
}

/** Counts of a backfill, kept in the checkpoint so a resumed run reports the whole backfill. */
export interface BackfillCounts {
  sent: number;
  unchanged: number;
  rejected: number;
}

export interface BackfillProgress extends BackfillCounts {
  /** Orders handled so far, across resumed runs. */
  done: number;
  /** Orders in the source, when it can tell. */
  total: number | null;
}

export interface BackfillOptions {
  source: OrderSource;
  deliver: OrderEventDelivery;
  /** Event source recorded on each event: `backfill` for the command, `reconcile` for the schedule. */
  eventSource: OrderEventSource;
  /** Orders in flight at once. */
  concurrency: number;
  /** Resume point of an interrupted run; null starts at the first order. */
  resumeFrom?: { cursor: SourceCursor; counts: BackfillCounts; rejected: RejectedOrder[] } | null;
  /** Called after each order, e.g. to draw progress. */
  onProgress?: (progress: BackfillProgress) => void;
  /** Called with the resume point whenever every order up to it is handled. */
  onCheckpoint?: (checkpoint: { cursor: SourceCursor; counts: BackfillCounts; rejected: RejectedOrder[] }) => void;
  /** Called once per order with what happened to it, e.g. to print a dry run. */
  onOrder?: (order: {
    orderId: number | string | null;
    outcome: 'sent' | 'unchanged' | 'rejected';
    detail: string;
  }) => void;
  /** Stops pulling orders; the ones in flight finish and the last checkpoint stays valid. */
  signal?: AbortSignal;
}

export interface BackfillReport extends BackfillCounts {
  /** The first rejected orders (at most {@link MAX_REJECTED_LISTED}) with their reasons. */
  rejectedOrders: RejectedOrder[];
  /** True when the run stopped early through `signal`. */
  interrupted: boolean;
}

/** Rejected orders listed in a report and a checkpoint; the count covers all of them. */
export const MAX_REJECTED_LISTED = 100;

/**
 * Sends every order of a source to its order workflow, through the same signal the webhook sends, with at
 * most `concurrency` orders in flight. Orders whose workflow already has the same state count as unchanged,
 * and orders that do not parse are rejected with their reason.
 *
 * Orders finish out of order, so the checkpoint marks the last order before which every order is handled: a
 * resumed run may repeat a few orders, which the workflows ignore, and never skips one. A delivery error
 * (Temporal unreachable) stops the run and rejects with that error once the orders in flight finish.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  // The checkpointed prefix: every order up to its cursor is handled. Counts beyond it are not saved, because a
  // resumed run handles those orders again.
  const prefix = {
    counts: { ...(options.resumeFrom?.counts ?? { sent: 0, unchanged: 0, rejected: 0 }) },
    rejected: [...(options.resumeFrom?.rejected ?? [])],
  };
  const total = await options.source.total();
  const iterator = options.source.orders(options.resumeFrom?.cursor ?? null)[Symbol.asyncIterator]();

  // Orders finished after the prefix, by sequence number, waiting for the ones before them.
  const finished = new Map<number, { cursor: SourceCursor; outcome: Outcome }>();
  let nextSequence = 0;
  let prefixEnd = 0;
  let failure: unknown = null;

  const liveCounts = (): BackfillCounts => {
    const counts = { ...prefix.counts };
    for (const { outcome } of finished.values()) counts[outcome.kind] += 1;
    return counts;
  };

  const advancePrefix = () => {
    let cursor: SourceCursor | undefined;
    for (let entry = finished.get(prefixEnd); entry !== undefined; entry = finished.get(prefixEnd)) {
      finished.delete(prefixEnd);
      prefixEnd += 1;
      cursor = entry.cursor;
      prefix.counts[entry.outcome.kind] += 1;
      if (entry.outcome.kind === 'rejected' && prefix.rejected.length < MAX_REJECTED_LISTED) {
        prefix.rejected.push(entry.outcome.order);
      }
    }
    if (cursor !== undefined) {
      options.onCheckpoint?.({ cursor, counts: { ...prefix.counts }, rejected: [...prefix.rejected] });
    }
  };

  const handle = async (raw: unknown): Promise<Outcome> => {
    const orderId = readOrderId(raw);
    const parsed = parseWhiplashOrder(raw, { eventName: `order.${options.eventSource}`, source: options.eventSource });
    if (!parsed.ok) {
      const reason = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      options.onOrder?.({ orderId, outcome: 'rejected', detail: reason });
      return { kind: 'rejected', order: { orderId, reason } };
    }
    const kind = await options.deliver(parsed.event);
    const { event } = parsed;
    options.onOrder?.({
      orderId,
      outcome: kind,
      detail: `${event.orderNumber} ${event.status.name} at ${event.updatedAt}`,
    });
    return { kind };
  };

  const pull = async (): Promise<void> => {
    while (failure === null && !options.signal?.aborted) {
      const next = await iterator.next();
      if (next.done) return;
      const sequence = nextSequence++;
      let outcome: Outcome;
      try {
        outcome = await handle(next.value.order);
      } catch (error) {
        failure ??= error;
        return;
      }
      finished.set(sequence, { cursor: next.value.cursor, outcome });
      advancePrefix();
      const counts = liveCounts();
      options.onProgress?.({ ...counts, done: counts.sent + counts.unchanged + counts.rejected, total });
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, () => pull()));
  await iterator.return?.();
  if (failure !== null) throw failure;
  return { ...liveCounts(), rejectedOrders: prefix.rejected, interrupted: options.signal?.aborted ?? false };
}

type Outcome = { kind: 'sent' | 'unchanged' } | { kind: 'rejected'; order: RejectedOrder };

function readOrderId(raw: unknown): number | string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}
