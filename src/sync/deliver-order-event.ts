import { WorkflowNotFoundError } from '@temporalio/client';
import type { OrderEvent } from '../domain/order-event';
import type { Logger } from '../logger';
import { orderStateQuery, orderWorkflowId } from '../../workflows/definitions';
import { compareEvents } from '../../workflows/order-state';
import { sendOrderEvent, type OrderEventTarget } from './send-order-event';

/** Result of delivering one order event from a backfill or a reconcile run. */
export type DeliveryOutcome = 'sent' | 'unchanged';

/** Delivers order events, skipping those whose order workflow already has the same or a newer state. */
export type OrderEventDelivery = (event: OrderEvent) => Promise<DeliveryOutcome>;

// A closed workflow is queried by replaying its history on a worker, which takes longer than a running one.
const QUERY_TIMEOUT_MS = 5000;
const MAX_QUERY_FAILURES_IN_A_ROW = 3;

/**
 * Creates a delivery function for bulk sources; with `dryRun` it checks but sends nothing. It first reads the order workflow's state through the
 * `orderState` query. Skipping matters for settled orders: signalling a completed workflow would start
 * a new run that waits out the whole settle period again for nothing.
 *
 * When a query fails (no worker responded in time), the event is sent unchecked. After three failures in a row the
 * delivery stops querying for the rest of its life, so a backfill without a running worker does not wait out one
 * timeout per order. Sending is always safe, because the workflow ignores duplicate and stale events.
 */
export function createOrderEventDelivery(
  target: OrderEventTarget,
  logger: Logger,
  options: { dryRun?: boolean } = {},
): OrderEventDelivery {
  let failuresInARow = 0;

  async function knownState(orderId: number): Promise<OrderEvent | null> {
    if (failuresInARow >= MAX_QUERY_FAILURES_IN_A_ROW) return null;
    const handle = target.client.workflow.getHandle(orderWorkflowId(orderId));
    try {
      const deadline = Date.now() + QUERY_TIMEOUT_MS;
      const state = await target.client.withDeadline(deadline, () => handle.query(orderStateQuery));
      failuresInARow = 0;
      return state.latest;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      failuresInARow += 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (failuresInARow < MAX_QUERY_FAILURES_IN_A_ROW) {
        logger.warn({ orderId, reason }, 'Order state query failed; sending this event unchecked');
      } else {
        logger.warn({ orderId, reason }, 'Order state queries keep failing; sending every remaining event unchecked');
      }
      return null;
    }
  }

  return async (event) => {
    const known = await knownState(event.orderId);
    if (known !== null && compareEvents(event, known) !== 'newer') return 'unchanged';
    if (!options.dryRun) await sendOrderEvent(target, event);
    return 'sent';
  };
}
