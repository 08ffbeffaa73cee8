import type { Client } from '@temporalio/client';
import type { GorgiasClient } from '../src/gorgias';
import { createGorgiasActivities } from './gorgias-activities';
import { createReconcileActivities } from './reconcile-activities';
import { createTemporalActivities } from './temporal-activities';

export { GorgiasFailureType, NON_RETRYABLE_GORGIAS_FAILURES } from './gorgias-failure-types';
export type { CustomerDelivery } from './temporal-activities';
export type { ResolvedGorgiasCustomer } from './gorgias-activities';

/** The clients the activities use. */
export interface ActivityDependencies {
  gorgias: GorgiasClient;
  temporal: Client;
  /** Task queue of the order and customer workflows, used when an activity starts a customer workflow. */
  workflowTaskQueue: string;
}

/** Creates the Gorgias activities (run on their own rate-limited task queue). */
export { createGorgiasActivities };

/** Creates the activities that signal workflows (run on the workflow task queue). */
export { createTemporalActivities };

export { createReconcileActivities };

export type GorgiasActivities = ReturnType<typeof createGorgiasActivities>;
export type TemporalActivities = ReturnType<typeof createTemporalActivities>;
export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

/** Creates every activity, keyed by activity type name. */
export function createActivities(deps: ActivityDependencies): GorgiasActivities & TemporalActivities {
  return {
    ...createGorgiasActivities(deps.gorgias),
    ...createTemporalActivities(deps.temporal, deps.workflowTaskQueue),
  };
}
