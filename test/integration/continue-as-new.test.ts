import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { orderStateQuery } from '../../workflows/definitions';
import { sendOrderEvent } from '../../src/sync/send-order-event';
import { eventually, startStack, type Stack } from '../support/stack';
import { orderEvent, type OrderChanges } from '../support/orders';
import { widgetOf } from '../support/gorgias-state';

// The dev server suggests continue-as-new after this many history events instead of 4096 (its default),
// so both workflows start new runs within a test.
const SUGGEST_CONTINUE_AS_NEW_AFTER = 40;

describe('continue-as-new', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({
      debounceWindowMs: 0,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AFTER },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  async function send(changes: OrderChanges): Promise<void> {
    await sendOrderEvent({ client: stack.client, taskQueue: stack.taskQueue, input: stack.input }, orderEvent(changes));
  }

  test('order workflow carries its state into new runs', async () => {
    const handle = stack.client.workflow.getHandle('whiplash-order-710001');
    await send({ id: 710001, email: 'can-order@example.com', minute: 0 });
    const firstRunId = (await handle.describe()).runId;

    // Each event adds at least its signal to the history, so 41 events pass the threshold of 40 even when the
    // worker handles several signals in one workflow task.
    for (let minute = 1; minute <= 40; minute++) {
      await send({ id: 710001, email: 'can-order@example.com', minute, status: minute % 2 === 0 ? 100 : 120 });
    }
    // The workflow continues as new at the end of a workflow task that processed events, which can come after
    // the last send returns.
    await eventually(async () => {
      assert.notEqual((await handle.describe()).runId, firstRunId, 'the workflow never continued as new');
    }, 30_000);
    await send({ id: 710001, email: 'can-order@example.com', minute: 3 });

    const state = await eventually(async () => {
      const current = await handle.query(orderStateQuery);
      assert.equal(current.appliedEvents + current.ignoredEvents, 42);
      return current;
    }, 60_000);
    assert.equal(state.appliedEvents, 41);
    assert.equal(state.ignoredEvents, 1, 'the stale event must be recognised after continue-as-new');
    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'can-order@example.com');
      assert.equal(widget.orders[0]?.status, 'Processing');
      assert.equal(widget.orders[0]?.updated_at, state.latest?.updatedAt);
    }, 30_000);
  });

  test('customer workflow keeps every order across runs', async () => {
    const orderIds = Array.from({ length: 12 }, (_, index) => 710100 + index);

    for (const id of orderIds) {
      await send({ id, email: 'can-customer@example.com' });
      await eventually(async () => {
        const current = await stack.client.workflow.getHandle(`whiplash-order-${id}`).query(orderStateQuery);
        assert.equal(current.syncState, 'synced');
      }, 30_000);
    }

    const customerWorkflowId = (
      await stack.client.workflow.getHandle(`whiplash-order-${orderIds[0]}`).query(orderStateQuery)
    ).attachedCustomer!.workflowId;
    const description = await stack.client.workflow.getHandle(customerWorkflowId).describe();
    assert.ok(description.historyLength < SUGGEST_CONTINUE_AS_NEW_AFTER * 2, 'the customer never continued as new');
    const { widget } = await widgetOf(stack, 'can-customer@example.com');
    assert.deepEqual(widget.orders.map((order) => order.whiplash_order_id).sort(), orderIds);
  });
});
