import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { orderStateQuery, retrySyncSignal, type OrderWorkflowInput } from '../../workflows/definitions';
import { sendOrderEvent } from '../../src/sync/send-order-event';
import { createSeededRandom } from '../../src/emulators/seeded-random';
import { eventually, startStack, type Stack } from '../support/stack';
import { postWebhook } from '../support/webhook';
import { orderEvent, orderWebhook, type OrderChanges } from '../support/orders';
import { clearRequestLog, countDataWrites, emulatorStats, widgetOf } from '../support/gorgias-state';

describe('sync correctness', () => {
  let stack: Stack;

  before(async () => {
    // Injected faults follow a fixed sequence, so a run of unlucky failures cannot outlast a test's timeout.
    stack = await startStack({ debounceWindowMs: 300, gorgiasRandom: createSeededRandom(42) });
  });
  after(async () => {
    await stack?.stop();
  });

  async function post(changes: OrderChanges, eventName?: string): Promise<void> {
    const response = await postWebhook(stack.apiUrl, orderWebhook(changes, eventName));
    assert.equal(response.status, 202, `order ${changes.id} was not accepted: ${await response.text()}`);
  }

  function orderState(orderId: number) {
    return stack.client.workflow.getHandle(`whiplash-order-${orderId}`).query(orderStateQuery);
  }

  async function waitForSyncState(orderId: number, state: string) {
    return eventually(async () => {
      const current = await orderState(orderId);
      assert.equal(current.syncState, state, `order ${orderId}: ${current.syncError ?? ''}`);
      return current;
    });
  }

  /** Sends an event with workflow settings other than the stack's, e.g. a short settle period. */
  async function send(changes: OrderChanges, input: Partial<OrderWorkflowInput>, eventName?: string) {
    const target = { client: stack.client, taskQueue: stack.taskQueue, input: { ...stack.input, ...input } };
    await sendOrderEvent(target, orderEvent(changes, eventName));
  }

  test('applies parallel duplicates once', async () => {
    await clearRequestLog(stack);
    const changes = { id: 700001, email: 'dup@example.com' };

    await Promise.all(Array.from({ length: 5 }, () => post(changes)));

    const state = await waitForSyncState(700001, 'synced');
    assert.equal(state.appliedEvents, 1);
    assert.equal(state.ignoredEvents, 4);
    assert.equal(await countDataWrites(stack), 1);
  });

  test('accepts a status before its creation', async () => {
    await post({ id: 700002, email: 'early@example.com', status: 300, minute: 60 }, 'order.shipped');
    await post({ id: 700002, email: 'early@example.com', status: 100, minute: 0 }, 'order.created');

    const state = await waitForSyncState(700002, 'synced');
    assert.equal(state.latest?.status.name, 'Shipped');
    assert.equal(state.ignoredEvents, 1);
    const { widget } = await widgetOf(stack, 'early@example.com');
    assert.equal(widget.orders[0]?.status, 'Shipped');
  });

  test('creates one customer for parallel stores', async () => {
    const stores = [311, 587, 612, 733];

    await Promise.all(
      stores.map((shopId, index) =>
        post({ id: 700010 + index, email: 'shared@example.com', shopId, shopDomain: `shop-${shopId}.example.com` }),
      ),
    );

    const { widget } = await eventually(async () => {
      const result = await widgetOf(stack, 'shared@example.com');
      assert.equal(result.widget.orders.length, 4);
      return result;
    });
    const labels = widget.orders.map((order) => order.store).sort();
    assert.deepEqual(labels, stores.map((shopId) => `shop-${shopId}.example.com`).sort());
  });

  test('moves an order to its new email', async () => {
    await post({ id: 700020, email: 'old@example.com', minute: 0 });
    await waitForSyncState(700020, 'synced');

    await post({ id: 700020, email: 'new@example.com', minute: 5 });

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'new@example.com');
      assert.deepEqual(
        widget.orders.map((order) => order.whiplash_order_id),
        [700020],
      );
    });
    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'old@example.com');
      assert.equal(widget.orders.length, 0, 'the old customer still lists the order');
    });
  });

  test('takes the newest name and address', async () => {
    const email = 'rename@example.com';
    await post({ id: 700030, email, minute: 0, name: 'Pat Old' });
    await waitForSyncState(700030, 'synced');

    await post({ id: 700031, email, minute: 10, name: 'Pat New', address1: '1 New Road', phone: null });
    await post({ id: 700032, email, minute: 5, name: 'Pat Middle' });

    const { customerId, widget } = await eventually(async () => {
      const result = await widgetOf(stack, email);
      assert.equal(result.widget.orders.length, 3);
      return result;
    });
    assert.equal(widget.customer.name, 'Pat New');
    assert.equal(widget.address.address1, '1 New Road');
    assert.equal(widget.customer.phone, '(217) 555-0134', 'a missing phone must not erase the known one');
    const profile = await stack.gorgias.getCustomer(customerId);
    assert.equal(profile.name, 'Pat New');
  });

  test('coalesces a burst into one write', async () => {
    await clearRequestLog(stack);

    for (let index = 0; index < 5; index++) {
      await post({ id: 700040 + index, email: 'burst@example.com' });
    }

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'burst@example.com');
      assert.equal(widget.orders.length, 5);
    });
    assert.equal(await countDataWrites(stack), 1);
  });

  test('caps the widget at the newest orders', async () => {
    const customer = { ...stack.input.customer, maxWidgetOrders: 3 };

    for (let index = 0; index < 5; index++) {
      await send({ id: 700050 + index, email: 'capped@example.com', createdMinute: index }, { customer });
    }

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'capped@example.com');
      assert.deepEqual(
        widget.orders.map((order) => order.whiplash_order_id),
        [700054, 700053, 700052],
      );
    });
  });

  test('keeps a huge order small in history', async () => {
    const items = Array.from({ length: 3000 }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 }));
    const body = orderWebhook({ id: 700060, email: 'huge@example.com', items });
    (body.order as Record<string, unknown>).public_note = 'n'.repeat(200_000);

    const response = await postWebhook(stack.apiUrl, body);

    assert.equal(response.status, 202);
    const { widget } = await eventually(() => widgetOf(stack, 'huge@example.com'));
    assert.equal(widget.orders[0]?.products.length, 50);
    assert.equal(widget.orders[0]?.more_products, '+2950 more');
    const description = await stack.client.workflow.getHandle('whiplash-order-700060').describe();
    assert.ok((description.historySize ?? Infinity) < 100_000, `history is ${description.historySize} bytes`);
  });

  test('completes after the settle period', async () => {
    const input = { settlePeriodMs: 500 };
    await send({ id: 700070, email: 'settle@example.com', status: 300, minute: 0 }, input, 'order.shipped');
    const handle = stack.client.workflow.getHandle('whiplash-order-700070');
    await eventually(async () => assert.equal((await handle.describe()).status.name, 'COMPLETED'));

    await send({ id: 700070, email: 'settle@example.com', status: 350, minute: 30 }, input, 'order.delivered');

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'settle@example.com');
      assert.equal(widget.orders[0]?.status, 'Delivered');
    });
  });

  test('seeds a new customer run from Gorgias', async () => {
    const customer = { ...stack.input.customer, idleTimeoutMs: 500 };
    await send({ id: 700080, email: 'idle@example.com' }, { customer });
    await waitForSyncState(700080, 'synced');
    const customerWorkflowId = (await orderState(700080)).attachedCustomer!.workflowId;
    const handle = stack.client.workflow.getHandle(customerWorkflowId);
    await eventually(async () => assert.equal((await handle.describe()).status.name, 'COMPLETED'));

    await send({ id: 700081, email: 'idle@example.com' }, { customer });

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'idle@example.com');
      assert.deepEqual(widget.orders.map((order) => order.whiplash_order_id).sort(), [700080, 700081]);
    });
  });

  test('marks a rejected sync failed until retrySync', async () => {
    stack.emulator.configure({ faults: { rejectWithStatus: 403 } });
    try {
      await post({ id: 700090, email: 'forbidden@example.com' });
      const failed = await waitForSyncState(700090, 'failed');
      assert.match(failed.syncError ?? '', /403/);
    } finally {
      stack.emulator.configure({ faults: { rejectWithStatus: null } });
    }

    await stack.client.workflow.getHandle('whiplash-order-700090').signal(retrySyncSignal);

    await waitForSyncState(700090, 'synced');
    await eventually(() => widgetOf(stack, 'forbidden@example.com'));
  });

  test('recreates a customer deleted in Gorgias', async () => {
    await post({ id: 700100, email: 'deleted@example.com', minute: 0 });
    await waitForSyncState(700100, 'synced');
    await fetch(`${stack.emulator.url}/_emulator/reset`, { method: 'POST' });

    await post({ id: 700100, email: 'deleted@example.com', minute: 1, status: 120 });

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'deleted@example.com');
      assert.equal(widget.orders[0]?.status, 'Printed');
    });
  });

  test('writes to the customer a merge kept', async () => {
    await post({ id: 700110, email: 'merged@example.com', minute: 0 });
    await waitForSyncState(700110, 'synced');
    const source = (await stack.gorgias.listCustomersByEmail('merged@example.com'))[0]!;
    const target = await stack.gorgias.createCustomer({ email: 'survivor@example.com', name: null, phone: null });
    const merge = await fetch(
      `${stack.emulator.url}/api/customers/merge?source_id=${source.id}&target_id=${target.id}`,
      {
        method: 'PUT',
        headers: { authorization: `Basic ${btoa('dev@example.com:dev-api-key')}`, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    assert.equal(merge.status, 200);

    await post({ id: 700110, email: 'merged@example.com', minute: 1, status: 120 });

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'survivor@example.com');
      assert.equal(widget.orders[0]?.status, 'Printed');
    });
  });

  test('retries server errors until synced', async () => {
    stack.emulator.configure({ faults: { serverErrorRate: 0.5 } });
    try {
      await post({ id: 700120, email: 'flaky@example.com' });
      await eventually(() => waitForSyncState(700120, 'synced'), 60_000);
      const stats = await emulatorStats(stack);
      const serverErrors = Object.entries(stats.countsByStatus).filter(([status]) => status.startsWith('5'));
      assert.ok(serverErrors.length > 0, 'the emulator injected server errors');
    } finally {
      stack.emulator.configure({ faults: { serverErrorRate: 0 } });
    }
    await widgetOf(stack, 'flaky@example.com');
  });

  test('waits for Retry-After after a 429', async () => {
    await fetch(`${stack.emulator.url}/_emulator/reset`, { method: 'POST' });
    stack.emulator.configure({ rateLimit: { limit: 4, windowSeconds: 2 } });
    try {
      await Promise.all(
        Array.from({ length: 6 }, (_, index) => post({ id: 700130 + index, email: `limited${index}@example.com` })),
      );
      // Reading the emulator would spend the budget too, so the test watches Temporal until every order synced.
      for (let index = 0; index < 6; index++) {
        await eventually(() => waitForSyncState(700130 + index, 'synced'), 60_000);
      }
    } finally {
      stack.emulator.configure({ rateLimit: null });
    }

    const stats = await emulatorStats(stack);
    for (let index = 0; index < 6; index++) {
      await widgetOf(stack, `limited${index}@example.com`);
    }
    assert.ok((stats.countsByStatus['429'] ?? 0) > 0, 'the test never reached the rate limit');
    assert.equal(stats.requestsBeforeRetryAfter, 0);
  });
});
