import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SearchAttributes } from '../../workflows/search-attributes';
import { orderStateQuery } from '../../workflows/definitions';
import { widgetOf } from '../support/gorgias-state';
import { eventually, startStack, type Stack } from '../support/stack';
import { asWebhook, loadFixture, postWebhook } from '../support/webhook';

describe('order sync through the webhook endpoint', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  test('shows the newest status after created, printed and shipped', async () => {
    for (const name of [
      'order_created_us_basic.webhook.json',
      'order_status_changed_us_basic_printed.webhook.json',
      'order_shipped_us_basic_tracking.webhook.json',
    ]) {
      const response = await postWebhook(stack.apiUrl, loadFixture(name));
      assert.equal(response.status, 202, `${name} was not accepted`);
      assert.deepEqual(await response.json(), { status: 'accepted', workflowId: 'whiplash-order-8403117' });
    }

    const { widget } = await eventually(async () => {
      const result = await widgetOf(stack, 'avery.lindqvist@example.com');
      assert.equal(result.widget.orders[0]?.status, 'Shipped');
      return result;
    });
    assert.equal(widget.orders.length, 1);
    const order = widget.orders[0]!;
    assert.equal(order.order_number, '#NTO1042');
    assert.deepEqual(order.products, [{ sku: 'NTO-BEANIE-GRY', quantity: 1 }]);
    assert.equal(order.ship_to.city, 'Springfield');
    assert.equal(order.ship_to.state, 'IL');
    assert.equal(order.ship_to.zip, '62704');
    assert.deepEqual(order.tracking_numbers, ['9400111899562841736205']);
    assert.equal(order.store, 'north-trail-example.myshopify.com');
    assert.equal(widget.customer.name, 'Avery Lindqvist');
    assert.equal(widget.customer.phone, '(217) 555-0134');
    assert.equal(widget.address.address1, '418 Larkspur Lane');
  });

  test('records the order state and search attributes in Temporal', async () => {
    const handle = stack.client.workflow.getHandle('whiplash-order-8403117');
    const state = await eventually(async () => {
      const current = await handle.query(orderStateQuery);
      assert.equal(current.syncState, 'synced');
      return current;
    });
    assert.equal(state.latest?.status.code, 300);
    assert.equal(state.appliedEvents, 3);

    const description = await eventually(async () => {
      const current = await handle.describe();
      assert.equal(current.typedSearchAttributes.get(SearchAttributes.syncState), 'synced');
      return current;
    });
    assert.equal(description.typedSearchAttributes.get(SearchAttributes.orderNumber), '#NTO1042');
    assert.equal(description.typedSearchAttributes.get(SearchAttributes.orderStatus), 'Shipped');
  });

  test('ignores duplicate and stale deliveries', async () => {
    for (const name of ['order_status_changed_us_basic_printed.webhook.json', 'order_created_us_basic.webhook.json']) {
      assert.equal((await postWebhook(stack.apiUrl, loadFixture(name))).status, 202, `${name} was not accepted`);
    }

    const handle = stack.client.workflow.getHandle('whiplash-order-8403117');
    const state = await eventually(async () => {
      const current = await handle.query(orderStateQuery);
      assert.equal(current.ignoredEvents, 2);
      return current;
    });
    assert.equal(state.latest?.status.name, 'Shipped');
    assert.equal(state.appliedEvents, 3);
    const { widget } = await widgetOf(stack, 'avery.lindqvist@example.com');
    assert.equal(widget.orders[0]?.status, 'Shipped');
  });

  test('puts orders from two stores on one customer', async () => {
    const orders = loadFixture<unknown[]>('orders_list_two_stores_same_email.api.json');
    for (const order of orders) {
      assert.equal((await postWebhook(stack.apiUrl, asWebhook(order))).status, 202);
    }

    const { widget } = await eventually(async () => {
      const result = await widgetOf(stack, 'sam.okafor@example.com');
      assert.equal(result.widget.orders.length, 2);
      return result;
    });
    const stores = widget.orders.map((order) => order.store).sort();
    assert.equal(new Set(stores).size, 2, `orders should carry two store labels, got ${stores.join(', ')}`);
  });

  test('attaches an upper-case email to the lower-case customer', async () => {
    const existing = await stack.gorgias.createCustomer({
      email: 'marcus.delaney@example.com',
      name: 'Marcus Delaney',
      phone: null,
    });

    const response = await postWebhook(stack.apiUrl, loadFixture('order_email_uppercase_whitespace.webhook.json'));
    assert.equal(response.status, 202);

    const { customerId, widget } = await eventually(() => widgetOf(stack, 'marcus.delaney@example.com'));
    assert.equal(customerId, existing.id);
    assert.equal(widget.orders[0]?.order_number, '#NTO1080');
    assert.equal(widget.customer.email, 'marcus.delaney@example.com');
  });
});
