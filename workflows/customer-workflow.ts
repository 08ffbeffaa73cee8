import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GorgiasActivities, TemporalActivities } from '../activities';
import type { CustomerMergedDetails } from '../activities/gorgias-failure';
import { GorgiasFailureType, NON_RETRYABLE_GORGIAS_FAILURES } from '../activities/gorgias-failure-types';
import { CustomerState } from './customer-state';
import {
  customerStateQuery,
  removeOrderSignal,
  retrySyncSignal,
  syncResultSignal,
  upsertOrderSignal,
  type CustomerSettings,
  type CustomerWorkflowInput,
  type SyncState,
} from './definitions';
import { SearchAttributes } from './search-attributes';

// Signals sent from a local activity need no extra workflow task to record that they were delivered, unlike
// signals sent by workflow code.
const localTemporal = proxyLocalActivities<TemporalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Histories recorded before this change signalled the order workflows from workflow code. */
const LOCAL_NOTIFY_PATCH = 'notify-orders-from-local-activity';

/** A merged or deleted customer is re-resolved at most this many times in a row before the sync fails. */
const MAX_MERGE_RESOLUTIONS = 3;

/**
 * Writes one consumer's Gorgias profile and widget data, as the only writer of them. One workflow runs per
 * consumer email per Gorgias account (`gorgias-customer-<account>-<email hash>`). Gorgias replaces the whole
 * data blob on every write, so a single writer that merges all orders of the consumer (across stores) is what
 * keeps one store's write from erasing another's. Bursts within `debounceWindowMs` become one write. The
 * workflow completes after `idleTimeoutMs` without events, and the next run seeds itself from the data stored
 * in Gorgias.
 */
export async function customerWorkflow(input: CustomerWorkflowInput): Promise<void> {
  const customer = new CustomerState(input);
  const settings = input.settings;

  setHandler(upsertOrderSignal, ({ event, orderWorkflowId, resync }) => {
    if (customer.upsert(event, orderWorkflowId)) return;
    if (resync) {
      customer.subscribers.add(orderWorkflowId);
      customer.dirty = true;
      return;
    }
    log.warn('Ignored order update older than the stored one', { orderId: event.orderId });
  });
  setHandler(removeOrderSignal, ({ orderId, updatedAtMs }) => {
    customer.remove(orderId, updatedAtMs);
  });
  setHandler(retrySyncSignal, () => {
    customer.dirty = true;
  });
  setHandler(customerStateQuery, () => customer.toState());
  upsertSearchAttributes([
    { key: SearchAttributes.gorgiasAccount, value: input.gorgiasAccount },
    { key: SearchAttributes.emailHash, value: input.emailHash },
  ]);

  for (;;) {
    const hasWork = await condition(() => customer.dirty, settings.idleTimeoutMs);
    if (!hasWork) {
      await condition(allHandlersFinished);
      if (!customer.dirty) break;
    }
    if (settings.debounceWindowMs > 0) await sleep(settings.debounceWindowMs);

    await syncToGorgias(customer, settings);

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof customerWorkflow>({ ...input, state: customer.toState() });
    }
  }
  log.info('Customer idle; completing', { writes: customer.writes });
}

async function syncToGorgias(customer: CustomerState, settings: CustomerSettings): Promise<void> {
  const gorgias = proxyActivities<GorgiasActivities>({
    taskQueue: settings.gorgiasTaskQueue,
    startToCloseTimeout: '30 seconds',
    // 5xx, timeouts and network errors retry without limit; 429s wait for Retry-After (nextRetryDelay).
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '2 minutes',
      nonRetryableErrorTypes: NON_RETRYABLE_GORGIAS_FAILURES,
    },
  });
  const awaiting = [...customer.subscribers];

  for (let attempt = 1; ; attempt++) {
    customer.dirty = false;
    try {
      await writeCustomer(customer, settings, gorgias);
      setSyncState(customer, 'synced', null);
      awaiting.forEach((workflowId) => customer.subscribers.delete(workflowId));
      break;
    } catch (error) {
      // Retryable Gorgias errors never get here: their activities retry until they succeed.
      if (!(error instanceof ActivityFailure)) throw error;
      const type = failureType(error);
      if (type === GorgiasFailureType.customerNotFound && attempt < MAX_MERGE_RESOLUTIONS) {
        log.warn('Gorgias customer no longer exists; finding or creating it again by email', {
          customerId: customer.gorgiasCustomerId,
        });
        customer.gorgiasCustomerId = null;
        customer.seeded = false;
        continue;
      }
      if (type === GorgiasFailureType.customerMerged && attempt < MAX_MERGE_RESOLUTIONS) {
        const mergedInto = mergedIntoCustomerId(error);
        log.warn('Gorgias customer was merged into another; writing to that one', {
          customerId: customer.gorgiasCustomerId,
          mergedInto,
        });
        // Without a target in the 301, the customer is looked up again by email.
        customer.gorgiasCustomerId = mergedInto;
        customer.seeded = false;
        continue;
      }
      log.error('Gorgias sync failed; waiting for the next event or a retrySync signal', { type });
      setSyncState(customer, 'failed', failureMessage(error));
      break;
    }
  }
  await notifyOrders(awaiting, customer.syncState, customer.syncError);
}

/** Resolves the Gorgias customer if needed, updates the profile if it changed, and writes the widget data. */
async function writeCustomer(customer: CustomerState, settings: CustomerSettings, gorgias: GorgiasActivities) {
  const watch = <T>(call: Promise<T>) => showRetrying(customer, call, settings.retryingAfterMs);
  const { email, name, phone } = customer.profile;

  if (customer.gorgiasCustomerId === null || !customer.seeded) {
    const found = await watch(
      customer.gorgiasCustomerId === null
        ? gorgias.findOrCreateGorgiasCustomer({ email, name, phone })
        : gorgias.readGorgiasCustomer(customer.gorgiasCustomerId),
    );
    customer.gorgiasCustomerId = found.customerId;
    customer.writtenProfile = { name: found.name, phone: found.phone };
    customer.seed(found.stored);
  }
  const customerId = customer.gorgiasCustomerId;

  const wanted = customer.wantedProfile();
  if (wanted !== null) {
    await watch(gorgias.updateGorgiasCustomerProfile({ customerId, email, ...wanted }));
    customer.writtenProfile = wanted;
  }

  customer.prune(settings.maxWidgetOrders);
  const now = Date.now();
  const version = customer.nextVersion(now);
  const data = customer.toDataBlob(settings.maxWidgetOrders, new Date(now).toISOString());
  await watch(gorgias.writeGorgiasWidgetData({ customerId, data, version }));
  customer.writes++;
}

/** Waits for a Gorgias call; if it is still running after `afterMs` (retries), shows `retrying` meanwhile. */
async function showRetrying<T>(customer: CustomerState, call: Promise<T>, afterMs: number): Promise<T> {
  let settled = false;
  call.then(
    () => (settled = true),
    () => (settled = true),
  );
  if (!(await condition(() => settled, afterMs))) {
    setSyncState(customer, 'retrying', null);
  }
  return call;
}

function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type ? cause.type : undefined;
}

function mergedIntoCustomerId(error: ActivityFailure): number | null {
  const details = error.cause instanceof ApplicationFailure ? error.cause.details : undefined;
  const merged = details?.[0] as Partial<CustomerMergedDetails> | undefined;
  return typeof merged?.mergedIntoCustomerId === 'number' ? merged.mergedIntoCustomerId : null;
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function setSyncState(customer: CustomerState, state: SyncState, error: string | null): void {
  if (customer.syncState === state && customer.syncError === error) return;
  customer.syncState = state;
  customer.syncError = error;
  upsertSearchAttributes([{ key: SearchAttributes.syncState, value: state }]);
  upsertMemo({ syncState: state, syncError: error, gorgiasCustomerId: customer.gorgiasCustomerId });
}

/** Tells the order workflows whose changes this write carried how it went. Closed ones are skipped. */
async function notifyOrders(orderWorkflowIds: string[], state: SyncState, error: string | null): Promise<void> {
  if (patched(LOCAL_NOTIFY_PATCH)) {
    if (orderWorkflowIds.length > 0) await localTemporal.sendSyncResultToOrderWorkflows(orderWorkflowIds, state, error);
    return;
  }
  await Promise.all(
    orderWorkflowIds.map(async (workflowId) => {
      try {
        await getExternalWorkflowHandle(workflowId).signal(syncResultSignal, { state, error });
      } catch {
        log.debug('Order workflow is closed; sync result not delivered', { workflowId });
      }
    }),
  );
}
