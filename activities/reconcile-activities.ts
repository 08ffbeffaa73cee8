import { Context, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { runBackfill, type BackfillCounts, type RejectedOrder } from '../src/backfill/run-backfill';
import { apiOrderSource, type SourceCursor } from '../src/backfill/sources';
import { logger } from '../src/logger';
import { createOrderEventDelivery } from '../src/sync/deliver-order-event';
import type { WhiplashClient } from '../src/whiplash/api-client';
import type { OrderWorkflowInput } from '../workflows/definitions';
import type { ReconcileInput } from '../workflows/reconcile-workflow';

export interface ReconcileOrdersInput {
  /** Start of the window (ISO 8601, inclusive). */
  since: string;
  /** End of the window (ISO 8601, exclusive). */
  until: string;
  order: OrderWorkflowInput;
}

export type ReconcileCounts = BackfillCounts;

/** Progress saved in heartbeats, so a retried attempt continues where the previous one stopped. */
interface ReconcileHeartbeat {
  cursor: SourceCursor;
  counts: BackfillCounts;
  rejected: RejectedOrder[];
}

// Orders in flight at once; the Whiplash client paces its own requests.
const CONCURRENCY = 8;

/** Creates the activities of the reconcile workflow (run on the workflow task queue). */
export function createReconcileActivities(client: Client, taskQueue: string, whiplash: WhiplashClient) {
  return {
    /**
     * Lists the orders updated in the window from the Whiplash API and sends each one to its order workflow,
     * skipping orders whose workflow already has that state. Heartbeats carry the resume point.
     */
    async reconcileOrders(input: ReconcileOrdersInput): Promise<ReconcileCounts> {
      const context = Context.current();
      const source = apiOrderSource(whiplash, {
        updatedSince: new Date(input.since),
        updatedUntil: new Date(input.until),
      });
      const target = { client, taskQueue, input: input.order };
      const report = await runBackfill({
        source,
        deliver: createOrderEventDelivery(target, logger),
        eventSource: 'reconcile',
        concurrency: CONCURRENCY,
        resumeFrom: (context.info.heartbeatDetails as ReconcileHeartbeat | undefined) ?? null,
        signal: context.cancellationSignal,
        onCheckpoint: (checkpoint) => context.heartbeat(checkpoint satisfies ReconcileHeartbeat),
      });
      for (const rejected of report.rejectedOrders) {
        log.warn('Reconcile rejected an order', { orderId: rejected.orderId, reason: rejected.reason });
      }
      const counts = { sent: report.sent, unchanged: report.unchanged, rejected: report.rejected };
      log.info('Reconciled orders', { ...counts, since: input.since, until: input.until });
      return counts;
    },

    /**
     * Stores the end of a finished window as the schedule's next `since`, so the next run starts there. The
     * watermark never moves back, e.g. when an older run is retried after a newer one finished.
     */
    async recordReconcileWatermark(scheduleId: string, watermark: string): Promise<void> {
      await client.schedule.getHandle(scheduleId).update((previous) => {
        const action = previous.action as typeof previous.action & { args?: unknown[] };
        const [current] = (action.args ?? []) as [ReconcileInput | undefined];
        if (current === undefined) return previous;
        const since = current.since !== null && current.since > watermark ? current.since : watermark;
        return { ...previous, action: { ...action, args: [{ ...current, since }] } } as typeof previous;
      });
    },
  };
}
