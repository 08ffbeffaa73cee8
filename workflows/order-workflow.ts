import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TemporalActivities } from '../activities';
import type { OrderEvent } from '../src/domain/order-event';
import {
  customerWorkflowId,
  orderEventSignal,
  orderStateQuery,
  retrySyncSignal,
  syncResultSignal,
  type AttachedCustomer,
  type OrderWorkflowInput,
  type OrderWorkflowState,
  type SyncState,
} from './definitions';
import { OrderState } from './order-state';
import { keyword, SearchAttributes } from './search-attributes';

// Delivering to the customer workflow only needs the Temporal service; keep trying until it is back.
const deliveryRetry = { initialInterval: '1 second', maximumInterval: '1 minute' };

const temporal = proxyActivities<TemporalActivities>({ startToCloseTimeout: '30 seconds', retry: deliveryRetry });

// A local activity runs inside the workflow task on the same worker, so a delivery costs no activity task on the
// server and no extra workflow task: about a third less Temporal work per order event.
const localTemporal = proxyLocalActivities<TemporalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: deliveryRetry,
});

/** Histories recorded before this change scheduled the deliveries as regular activities. */
const LOCAL_DELIVERY_PATCH = 'deliver-to-customer-as-local-activity';

/**
 * Follows one Whiplash order for its whole life (workflow id `whiplash-order-<id>`). It keeps the newest
 * snapshot of the order, ignores duplicate and stale events, and forwards every change to the customer workflow of the
 * order's email, which is the only writer of that consumer's Gorgias data. After a terminal status it waits
 * `settlePeriodMs` for late events, then completes; a later event starts a new run.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderWorkflowState> {
  const order = new OrderState(input.state);

  setHandler(orderEventSignal, (event) => {
    order.pending.push(event);
  });
  setHandler(retrySyncSignal, () => {
    order.resendRequested = true;
  });
  setHandler(syncResultSignal, ({ state, error }) => {
    setSyncState(order, state, error);
  });
  setHandler(orderStateQuery, () => order.toState());

  for (;;) {
    const hasWork = order.isTerminal
      ? await condition(() => order.hasWork, input.settlePeriodMs)
      : await condition(() => order.hasWork).then(() => true);
    if (!hasWork) break;

    await processPending(order, input);

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof orderWorkflow>({ ...input, state: order.toState() });
    }
  }

  await condition(allHandlersFinished);
  log.info('Order settled; completing', { status: order.latest?.status.name });
  return order.toState();
}

async function processPending(order: OrderState, input: OrderWorkflowInput): Promise<void> {
  const { changed, ignored } = order.applyPending();
  for (const { event, verdict } of ignored) {
    log.warn('Ignored order event', { verdict, eventName: event.eventName, source: event.source });
  }
  const resend = order.resendRequested;
  order.resendRequested = false;
  if ((!changed && !resend) || order.latest === null) return;

  updateOrderAttributes(order.latest);
  await forwardToCustomer(order, order.latest, input, resend);
}

async function forwardToCustomer(
  order: OrderState,
  event: OrderEvent,
  input: OrderWorkflowInput,
  resync: boolean,
): Promise<void> {
  const target: AttachedCustomer = {
    workflowId: customerWorkflowId(input.gorgiasAccount, event.consumer.emailHash),
    email: event.consumer.email,
    emailHash: event.consumer.emailHash,
  };
  // NOTE: a run started after the previous one completed has no attached customer, so an email change in a
  // late event adds the order to the new customer but cannot remove it from the old one.
  const previous = order.attachedCustomer;
  const info = workflowInfo();

  setSyncState(order, 'pending', null);
  const deliver = patched(LOCAL_DELIVERY_PATCH) ? localTemporal : temporal;
  await deliver.sendOrderToCustomerWorkflow(delivery(target, input), event, info.workflowId, resync);
  if (previous !== null && previous.workflowId !== target.workflowId) {
    // The order's email changed: it now belongs to another Gorgias customer and leaves the old one's widget.
    await deliver.removeOrderFromCustomerWorkflow(delivery(previous, input), event.orderId, event.updatedAtMs);
  }
  order.attachedCustomer = target;
}

function delivery(customer: AttachedCustomer, input: OrderWorkflowInput) {
  return {
    customerWorkflowId: customer.workflowId,
    start: {
      gorgiasAccount: input.gorgiasAccount,
      email: customer.email,
      emailHash: customer.emailHash,
      settings: input.customer,
    },
  };
}

function setSyncState(order: OrderState, state: SyncState, error: string | null): void {
  order.syncState = state;
  order.syncError = error;
  upsertSearchAttributes([{ key: SearchAttributes.syncState, value: state }]);
  upsertMemo({ syncState: state, syncError: error });
}

function updateOrderAttributes(event: OrderEvent): void {
  upsertSearchAttributes([
    { key: SearchAttributes.whiplashOrderId, value: String(event.orderId) },
    { key: SearchAttributes.orderNumber, value: keyword(event.orderNumber) },
    { key: SearchAttributes.store, value: keyword(event.store.label) },
    { key: SearchAttributes.orderStatus, value: keyword(event.status.name) },
    { key: SearchAttributes.emailHash, value: event.consumer.emailHash },
  ]);
  upsertMemo({
    orderNumber: event.orderNumber,
    store: event.store.label,
    status: event.status.name,
    updatedAt: event.updatedAt,
    source: event.source,
  });
}
