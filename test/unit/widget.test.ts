import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newestOrders, toWidgetOrder, WIDGET_DATA_KEY } from '../../src/domain/widget';
import { readStoredWidgetData } from '../../src/domain/stored-widget';
import { fixtureEvent, withChanges } from '../support/events';

describe('toWidgetOrder', () => {
  test('maps every section of a shipped order', () => {
    const order = toWidgetOrder(fixtureEvent('order_shipped_us_basic_tracking.webhook.json'));

    assert.equal(order.whiplash_order_id, 8403117);
    assert.equal(order.order_number, '#NTO1042');
    assert.equal(order.date_created, '2026-03-02T10:14:05.000-05:00');
    assert.equal(order.status, 'Shipped');
    assert.equal(order.requires_signature, false);
    assert.equal(order.shipping_method, 'USPS Priority Mail');
    assert.deepEqual(order.products, [{ sku: 'NTO-BEANIE-GRY', quantity: 1 }]);
    assert.equal(order.more_products, null);
    assert.deepEqual(order.ship_to, {
      address1: '418 Larkspur Lane',
      address2: 'Apt 3B',
      city: 'Springfield',
      state: 'IL',
      zip: '62704',
      country: 'US',
    });
    assert.deepEqual(order.tracking_numbers, ['9400111899562841736205']);
    assert.equal(order.store, 'north-trail-example.myshopify.com');
  });

  test('keeps repeated SKUs as separate lines', () => {
    const event = fixtureEvent('order_require_signature.webhook.json');
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'A', quantity: 1 },
    ];
    const order = toWidgetOrder(withChanges(event, { lineItems: lines, lineItemCount: 2 }));

    assert.deepEqual(order.products, lines);
    assert.equal(order.requires_signature, true);
  });

  test('counts the lines it does not list', () => {
    const event = fixtureEvent('order_created_us_basic.webhook.json');
    const order = toWidgetOrder(withChanges(event, { lineItemCount: 3000 }));

    assert.equal(order.more_products, '+2999 more');
  });
});

describe('newestOrders', () => {
  test('sorts by creation instant across offsets and caps the list', () => {
    const base = toWidgetOrder(fixtureEvent('order_created_us_basic.webhook.json'));
    const older = { ...base, whiplash_order_id: 1, date_created: '2026-03-02T10:00:00.000-05:00' };
    // 15:30 UTC is later than 15:00 UTC even though its local time reads earlier.
    const newer = { ...base, whiplash_order_id: 2, date_created: '2026-03-02T08:30:00.000-07:00' };
    const newest = { ...base, whiplash_order_id: 3, date_created: '2026-03-03T00:00:00.000Z' };

    assert.deepEqual(
      newestOrders([older, newest, newer], 2).map((order) => order.whiplash_order_id),
      [3, 2],
    );
  });
});

describe('readStoredWidgetData', () => {
  test('returns our orders and keeps other integrations keys', () => {
    const order = toWidgetOrder(fixtureEvent('order_created_us_basic.webhook.json'));
    const blob = { [WIDGET_DATA_KEY]: { orders: [order, { junk: true }] }, loyalty: { points: 120 } };

    const stored = readStoredWidgetData(blob);

    assert.deepEqual(stored.orders, [order]);
    assert.equal(stored.droppedOrders, 1);
    assert.deepEqual(stored.foreignData, { loyalty: { points: 120 } });
  });

  test('treats a missing or odd blob as empty', () => {
    for (const blob of [null, undefined, 'text', [1, 2], { [WIDGET_DATA_KEY]: 'not an object' }]) {
      assert.deepEqual(readStoredWidgetData(blob).orders, [], `blob ${JSON.stringify(blob)}`);
    }
  });
});
