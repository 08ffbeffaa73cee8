import { log, proxyActivities } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities';
import type { OrderWorkflowInput } from './definitions';

/** Arguments of a reconcile run, kept in the Temporal Schedule that starts it. */
export interface ReconcileInput {
  /** Schedule whose arguments receive the new watermark; null for a run started by hand. */
  scheduleId: string | null;
  /** End of the last finished window (ISO 8601), or null before the first run. */
  since: string | null;
  /** How far each window reaches back before `since`, to cover clock skew and late index updates in Whiplash. */
  overlapMs: number;
  /** Length of the first window, when no run has finished yet. */
  firstWindowMs: number;
  /** Start input of the order workflows that the run signals. */
  order: OrderWorkflowInput;
}

export interface ReconcileResult {
  since: string;
  until: string;
  sent: number;
  unchanged: number;
  rejected: number;
}

const { reconcileOrders, recordReconcileWatermark } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  // After five failed attempts the run fails; the next scheduled run covers the same window again.
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/**
 * Brings Gorgias up to date with orders that changed in Whiplash without a webhook: address, email and item
 * edits fire none, and Whiplash switches a webhook off after 100 failed deliveries in a row. A Temporal Schedule
 * starts one run per interval. Each run lists the orders updated since the previous run's end, sends each to its
 * order workflow like the webhook does, and then records its own end as the next run's start.
 */
export async function reconcileWorkflow(input: ReconcileInput): Promise<ReconcileResult> {
  const untilMs = Date.now();
  const sinceMs = input.since === null ? untilMs - input.firstWindowMs : Date.parse(input.since) - input.overlapMs;
  const window = { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString() };

  const counts = await reconcileOrders({ ...window, order: input.order });
  if (input.scheduleId !== null) await recordReconcileWatermark(input.scheduleId, window.until);
  log.info('Reconcile run finished', { ...counts, ...window });
  return { ...window, ...counts };
}
