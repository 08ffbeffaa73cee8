import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toWidgetOrder, WIDGET_DATA_KEY, type WidgetData } from '../../src/domain/widget';
import { CustomerState } from '../../workflows/customer-state';
import { compareEvents } from '../../workflows/order-state';
import type { CustomerWorkflowInput } from '../../workflows/definitions';
import { fixtureEvent, withChanges } from '../support/events';

const created = fixtureEvent('order_created_us_basic.webhook.json');
const printed = fixtureEvent('order_status_changed_us_basic_printed.webhook.json');
const shipped = fixtureEvent('order_shipped_us_basic_tracking.webhook.json');

function newCustomer(): CustomerState {
  const input: CustomerWorkflowInput = {
    gorgiasAccount: 'test',
    email: created.consumer.email,
    emailHash: created.consumer.emailHash,
    settings: {
      debounceWindowMs: 0,
      idleTimeoutMs: 1000,
      maxWidgetOrders: 20,
      retryingAfterMs: 1000,
      gorgiasTaskQueue: 'q',
    },
  };
  return new CustomerState(input);
}

function widgetOf(customer: CustomerState): WidgetData {
  return customer.toDataBlob(20, '2026-03-04T00:00:00.000Z')[WIDGET_DATA_KEY] as WidgetData;
}

describe('compareEvents', () => {
  test('ranks a later updated_at as newer', () => {
    assert.equal(compareEvents(printed, created), 'newer');
    assert.equal(compareEvents(created, printed), 'stale');
  });

  test('breaks a timestamp tie by lifecycle rank', () => {
    const sameTimeShipped = withChanges(shipped, { updatedAtMs: printed.updatedAtMs });
    assert.equal(compareEvents(sameTimeShipped, printed), 'newer');
    assert.equal(compareEvents(printed, sameTimeShipped), 'stale');
  });

  test('calls an identical event a duplicate', () => {
    assert.equal(compareEvents(structuredClone(printed), printed), 'duplicate');
  });
});

describe('CustomerState', () => {
  test('keeps the newest state of an order whatever the arrival order', () => {
    const customer = newCustomer();
    customer.upsert(shipped, 'wf');
    customer.upsert(created, 'wf');

    assert.equal(widgetOf(customer).orders[0]?.status, 'Shipped');
  });

  test('keeps a known phone when a newer event has none', () => {
    const customer = newCustomer();
    customer.upsert(created, 'wf');
    customer.upsert(withChanges(printed, { consumer: { ...printed.consumer, phone: null } }), 'wf');

    assert.equal(widgetOf(customer).customer.phone, '(217) 555-0134');
  });

  test('replaces the whole address when the street changes', () => {
    const customer = newCustomer();
    customer.upsert(created, 'wf');
    const moved = { ...printed.shippingAddress, address1: '9 New Street', address2: null, zip: null };
    customer.upsert(withChanges(printed, { shippingAddress: moved }), 'wf');

    const address = widgetOf(customer).address;
    assert.equal(address.address1, '9 New Street');
    assert.equal(address.address2, null);
    assert.equal(address.zip, null);
  });

  test('removes an order that moved to another email', () => {
    const customer = newCustomer();
    customer.upsert(printed, 'wf');

    assert.equal(customer.remove(printed.orderId, shipped.updatedAtMs), true);
    assert.equal(widgetOf(customer).orders.length, 0);
    assert.equal(customer.upsert(printed, 'wf'), false, 'a stale upsert must not bring the order back');
  });

  test('seeds orders of an earlier run and keeps the newer copy', () => {
    const customer = newCustomer();
    customer.upsert(shipped, 'wf');
    const storedOther = { ...toWidgetOrder(created), whiplash_order_id: 42 };
    const storedOlder = toWidgetOrder(created);

    customer.seed({ orders: [storedOther, storedOlder], droppedOrders: 0, foreignData: { other: 1 } });

    const blob = customer.toDataBlob(20, '2026-03-04T00:00:00.000Z');
    const orders = (blob[WIDGET_DATA_KEY] as WidgetData).orders;
    assert.deepEqual(orders.map((order) => order.whiplash_order_id).sort(), [42, 8403117]);
    assert.equal(orders.find((order) => order.whiplash_order_id === 8403117)?.status, 'Shipped');
    assert.equal(blob.other, 1);
  });

  test('issues strictly increasing versions', () => {
    const customer = newCustomer();
    const first = customer.nextVersion(1_000);
    const second = customer.nextVersion(1_000);

    assert.ok(Date.parse(second) > Date.parse(first));
  });
});
