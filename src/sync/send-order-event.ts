import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { OrderEvent } from '../domain/order-event';
import { orderEventSignal, orderWorkflowId, type OrderWorkflowInput } from '../../workflows/definitions';
import { keyword, SearchAttributes } from '../../workflows/search-attributes';

/** How long a customer's Gorgias call may run before its sync state shows `retrying`. */
const RETRYING_AFTER_MS = 10_000;

/** Builds the order workflow's start input from the configuration. */
export function orderWorkflowInput(config: Pick<Config, 'gorgias' | 'sync' | 'temporal'>): OrderWorkflowInput {
  return buildOrderWorkflowInput(config.gorgias.account, config.temporal.gorgiasTaskQueue, config.sync);
}

/** Builds the order workflow's start input from its parts; tests pass short durations here. */
export function buildOrderWorkflowInput(
  gorgiasAccount: string,
  gorgiasTaskQueue: string,
  sync: Config['sync'],
): OrderWorkflowInput {
  return {
    gorgiasAccount,
    settlePeriodMs: sync.settlePeriodMs,
    customer: {
      debounceWindowMs: sync.debounceWindowMs,
      idleTimeoutMs: sync.idleTimeoutMs,
      maxWidgetOrders: sync.maxWidgetOrders,
      retryingAfterMs: RETRYING_AFTER_MS,
      gorgiasTaskQueue,
    },
  };
}

export interface OrderEventTarget {
  client: Client;
  taskQueue: string;
  input: OrderWorkflowInput;
}

/**
 * Delivers an order event to its order workflow, starting the workflow when it is not running. Resolves once
 * Temporal has stored the signal, so the event is durable. The webhook endpoint, backfills and reconciliation
 * all send events this way; the workflow ignores duplicates and stale events, so sending twice is harmless.
 */
export async function sendOrderEvent(target: OrderEventTarget, event: OrderEvent): Promise<string> {
  const workflowId = orderWorkflowId(event.orderId);
  await target.client.workflow.signalWithStart('orderWorkflow', {
    workflowId,
    taskQueue: target.taskQueue,
    args: [target.input],
    signal: orderEventSignal,
    signalArgs: [event],
    // Only used when this call starts the workflow, so the Temporal UI can find it before its first task runs.
    typedSearchAttributes: [
      { key: SearchAttributes.whiplashOrderId, value: String(event.orderId) },
      { key: SearchAttributes.orderNumber, value: keyword(event.orderNumber) },
      { key: SearchAttributes.store, value: keyword(event.store.label) },
      { key: SearchAttributes.orderStatus, value: keyword(event.status.name) },
      { key: SearchAttributes.emailHash, value: event.consumer.emailHash },
      { key: SearchAttributes.syncState, value: 'pending' },
    ],
  });
  return workflowId;
}
