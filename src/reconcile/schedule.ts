import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { OrderWorkflowInput } from '../../workflows/definitions';
import type { ReconcileInput } from '../../workflows/reconcile-workflow';

/** Id of the Temporal Schedule that starts the reconcile runs. */
export const RECONCILE_SCHEDULE_ID = 'whiplash-reconcile';

export interface ReconcileScheduleSettings {
  scheduleId?: string;
  /** Time between runs; each run covers the orders updated since the previous run's end. */
  intervalMs: number;
  overlapMs: number;
  /** Task queue of the worker that runs the reconcile workflow and its activities. */
  taskQueue: string;
  order: OrderWorkflowInput;
}

/**
 * Creates the reconcile schedule, or updates its interval and arguments when it exists. Running it again is
 * harmless: the watermark of the last finished run (`since`) is kept, so no window is skipped or repeated.
 */
export async function ensureReconcileSchedule(
  client: Client,
  settings: ReconcileScheduleSettings,
): Promise<'created' | 'updated'> {
  const scheduleId = settings.scheduleId ?? RECONCILE_SCHEDULE_ID;
  const input: ReconcileInput = {
    scheduleId,
    since: null,
    overlapMs: settings.overlapMs,
    firstWindowMs: settings.intervalMs,
    order: settings.order,
  };
  const spec = { intervals: [{ every: settings.intervalMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconcileWorkflow',
    workflowId: `${scheduleId}-run`,
    taskQueue: settings.taskQueue,
    args: [input],
  };

  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      // A run still listing orders when the next one is due keeps going, and the due one is skipped.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }

  await client.schedule.getHandle(scheduleId).update((previous) => {
    const [current] = ((previous.action as { args?: unknown[] }).args ?? []) as [ReconcileInput | undefined];
    return {
      ...previous,
      spec,
      action: { ...action, args: [{ ...input, since: current?.since ?? null }] },
    };
  });
  return 'updated';
}

/** Reads the schedule's watermark: the end of the last finished window, or null before the first run. */
export async function readReconcileWatermark(
  client: Client,
  scheduleId = RECONCILE_SCHEDULE_ID,
): Promise<string | null> {
  const description = await client.schedule.getHandle(scheduleId).describe();
  const [input] = ((description.action as { args?: unknown[] }).args ?? []) as [ReconcileInput | undefined];
  return input?.since ?? null;
}
