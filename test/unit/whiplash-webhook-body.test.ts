import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { isLegacyV1Order, parseWebhookBody, type WebhookParseResult } from '../../src/whiplash/webhook-body';

type Json = Record<string, unknown>;

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'whiplash');

function baseBody(): Json {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'order_created_us_basic.webhook.json'), 'utf8')) as Json;
}

/** Builds a legacy V1 order: flat `provider`/`reference`/`originator_id`, numeric money and zip, full country name. */
function legacyV1Order(): Json {
  return {
    id: 5120044,
    customer_id: 2210,
    originator_id: '4410029',
    provider: 'shopify',
    reference: 'ORD-2210-881',
    status: 300,
    status_name: 'Shipped',
    email: 'Jordan.Reyes@example.net',
    created_at: '2026-01-14T18:02:11Z',
    updated_at: '2026-01-15T09:40:00Z',
    shipping_name: 'Jordan Reyes',
    shipping_address_1: '12 Orchard Street',
    shipping_address_2: '',
    shipping_city: 'South San Francisco',
    shipping_state: 'CA',
    shipping_zip: 94080,
    shipping_country: 'United States',
    shipping_phone: '650-555-0177',
    ship_method: 'USPS First Class',
    ship_actual_cost: 4.35,
    tracking: ['9205590164917312751089'],
    fees: { pick: 0.5 },
    order_items: [{ sku: 'TEE-BLK-M', quantity: 1, price: 18.0 }],
  };
}

function issuePaths(result: WebhookParseResult): string[] {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.kind === 'invalid' ? result.issues.map((issue) => issue.path) : [];
}

describe('parseWebhookBody', () => {
  it('parses an order event', () => {
    const result = parseWebhookBody(baseBody());
    assert.equal(result.kind, 'order');
    assert.equal(result.kind === 'order' && result.event.source, 'webhook');
    assert.equal(result.kind === 'order' && result.event.eventName, 'order.created');
  });

  it('acts on every order event suffix', () => {
    for (const eventName of ['order.dropship.packed', 'order.attention', 'order.some_future_event']) {
      const result = parseWebhookBody({ ...baseBody(), event_name: eventName });
      assert.equal(result.kind, 'order', eventName);
    }
  });

  it('passes maxLineItems on', () => {
    const body = baseBody();
    const items = Array.from({ length: 5 }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 }));
    const result = parseWebhookBody(
      { ...body, order: { ...(body.order as Json), order_items: items } },
      { maxLineItems: 2 },
    );
    assert.ok(result.kind === 'order');
    assert.equal(result.event.lineItems.length, 2);
    assert.equal(result.event.lineItemCount, 5);
  });

  it('ignores events of other resources', () => {
    const bodies: Json[] = [
      { event_name: 'item.low_inventory', item: { id: 730112 } },
      { event_name: 'consumer_return.created', consumer_return: { id: 99 } },
      { event_name: 'shipnotice.status_changed', shipnotice: { id: 7 } },
      { event_name: 'item.created', order: baseBody().order },
    ];
    for (const body of bodies) {
      const result = parseWebhookBody(body);
      assert.equal(result.kind, 'ignored', String(body.event_name));
      assert.equal(result.kind === 'ignored' && result.eventName, body.event_name);
      assert.match(result.kind === 'ignored' ? result.reason : '', /syncs only order events/);
    }
  });

  it('ignores unknown event names', () => {
    const result = parseWebhookBody({ event_name: 'warehouse.closed', warehouse: {} });
    assert.equal(result.kind, 'ignored');
    assert.match(result.kind === 'ignored' ? result.reason : '', /not an event this service knows/);
  });

  it('rejects a body that is not an object', () => {
    for (const json of [null, 'order.created', 7, [baseBody()]]) {
      assert.deepEqual(issuePaths(parseWebhookBody(json)), ['(root)']);
    }
  });

  it('rejects a missing event_name', () => {
    const { event_name: _eventName, ...body } = baseBody();
    const result = parseWebhookBody(body);
    assert.deepEqual(issuePaths(result), ['event_name']);
    assert.match(result.kind === 'invalid' ? (result.issues[0]?.message ?? '') : '', /event_name is missing/);
  });

  it('rejects a non-string event_name', () => {
    for (const eventName of [42, '', '  ', null, { name: 'order.created' }]) {
      assert.deepEqual(issuePaths(parseWebhookBody({ ...baseBody(), event_name: eventName })), ['event_name']);
    }
  });

  it('rejects an order event without an order', () => {
    assert.deepEqual(issuePaths(parseWebhookBody({ event_name: 'order.created' })), ['order']);
    assert.deepEqual(issuePaths(parseWebhookBody({ event_name: 'order.created', order: [] })), ['order']);
  });

  it('prefixes order issue paths', () => {
    const body = baseBody();
    const result = parseWebhookBody({ ...body, order: { ...(body.order as Json), email: '' } });
    assert.deepEqual(issuePaths(result), ['order.email']);
    assert.doesNotMatch(result.kind === 'invalid' ? (result.issues[0]?.message ?? '') : '', /version 2/);
  });
});

describe('parseWebhookBody with legacy V1 orders', () => {
  it('detects the V1 shape', () => {
    assert.equal(isLegacyV1Order(legacyV1Order()), true);
    assert.equal(isLegacyV1Order(baseBody().order as Json), false);
  });

  it('parses a V1 order with the needed fields', () => {
    const result = parseWebhookBody({ event_name: 'order.shipped', order: legacyV1Order() });
    assert.ok(result.kind === 'order', JSON.stringify(result));
    const { event } = result;
    assert.equal(event.orderId, 5120044);
    assert.equal(event.consumer.email, 'jordan.reyes@example.net');
    assert.deepEqual(event.status, { code: 300, name: 'Shipped' });
    assert.equal(event.updatedAtMs, Date.UTC(2026, 0, 15, 9, 40, 0));
    assert.equal(event.shippingAddress.zip, '94080');
    assert.equal(event.shippingAddress.country, 'US');
    assert.equal(event.shippingAddress.address2, null);
    assert.equal(event.shippingMethod, 'USPS First Class');
    assert.deepEqual(event.tracking.numbers, ['9205590164917312751089']);
    assert.equal(event.store.key, '2210:none');
    assert.equal(event.store.label, 'Whiplash account 2210');
  });

  it('says to switch to version 2 when a V1 order fails', () => {
    const { email: _email, ...order } = legacyV1Order();
    const result = parseWebhookBody({ event_name: 'order.shipped', order });
    assert.deepEqual(issuePaths(result), ['order.email']);
    assert.match(result.kind === 'invalid' ? (result.issues[0]?.message ?? '') : '', /payload version 2/);
  });
});
