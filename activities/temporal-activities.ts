import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OrderEvent } from '../src/domain/order-event';
import {
  removeOrderSignal,
  syncResultSignal,
  upsertOrderSignal,
  type CustomerWorkflowInput,
  type SyncState,
} from '../workflows/definitions';

/** Target of a message for a customer workflow, with the input to start that workflow when it is not running. */
export interface CustomerDelivery {
  customerWorkflowId: string;
  start: CustomerWorkflowInput;
}

/**
 * Creates the activities that talk to Temporal itself. Workflow code cannot signal-with-start another
 * workflow, so the order workflow reaches its customer workflow through these.
 */
export function createTemporalActivities(client: Client, taskQueue: string) {
  const startOptions = (delivery: CustomerDelivery) => ({
    workflowId: delivery.customerWorkflowId,
    taskQueue,
    args: [delivery.start] as [CustomerWorkflowInput],
  });

  return {
    /** Adds or replaces the order in its customer workflow, starting that workflow when it is not running. */
    async sendOrderToCustomerWorkflow(
      delivery: CustomerDelivery,
      event: OrderEvent,
      orderWorkflowId: string,
      resync = false,
    ) {
      await client.workflow.signalWithStart('customerWorkflow', {
        ...startOptions(delivery),
        signal: upsertOrderSignal,
        signalArgs: [{ event, orderWorkflowId, resync }],
      });
      log.debug('Sent order to customer workflow', { customerWorkflowId: delivery.customerWorkflowId });
    },

    /** Removes the order from a customer workflow it no longer belongs to (the order's email changed). */
    async removeOrderFromCustomerWorkflow(delivery: CustomerDelivery, orderId: number, updatedAtMs: number) {
      await client.workflow.signalWithStart('customerWorkflow', {
        ...startOptions(delivery),
        signal: removeOrderSignal,
        signalArgs: [{ orderId, updatedAtMs }],
      });
      log.info('Removed order from previous customer workflow', {
        customerWorkflowId: delivery.customerWorkflowId,
        orderId,
      });
    },

    /** Tells order workflows how the write that carried their change went. Closed ones are skipped. */
    async sendSyncResultToOrderWorkflows(orderWorkflowIds: string[], state: SyncState, error: string | null) {
      await Promise.all(
        orderWorkflowIds.map(async (workflowId) => {
          try {
            await client.workflow.getHandle(workflowId).signal(syncResultSignal, { state, error });
          } catch (failure) {
            if (!(failure instanceof WorkflowNotFoundError)) throw failure;
            log.debug('Order workflow is closed; sync result not delivered', { workflowId });
          }
        }),
      );
    },
  };
}
