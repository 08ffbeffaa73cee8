import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { OrderEvent } from '../../src/domain/order-event';
import { hashEmail } from '../../src/whiplash/email';
import { parseWhiplashOrder } from '../../src/whiplash/parse-order';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'whiplash');

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8'));
}

/** Parses a fixture the way the service receives it and returns one event per order in the file. */
function parseFixture(name: string): OrderEvent[] {
  const json = readFixture(name);
  if (name.endsWith('.webhook.json')) {
    const result = parseWebhookBody(json);
    assert.equal(result.kind, 'order', `${name}: ${JSON.stringify(result)}`);
    return result.kind === 'order' ? [result.event] : [];
  }

  const orders = Array.isArray(json) ? json : [json];
  return orders.map((order, index) => {
    const result = parseWhiplashOrder(order, { eventName: 'backfill', source: 'backfill' });
    assert.ok(result.ok, `${name}[${index}]: ${JSON.stringify(result)}`);
    return result.event;
  });
}

function parseSingleFixture(name: string): OrderEvent {
  const events = parseFixture(name);
  assert.equal(events.length, 1);
  return events[0] as OrderEvent;
}

describe('Whiplash fixtures', () => {
  const names = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'));

  it('finds webhook and API fixtures', () => {
    assert.ok(names.some((name) => name.endsWith('.webhook.json')));
    assert.ok(names.some((name) => name.endsWith('.api.json')));
  });

  for (const name of names) {
    it(`parses ${name}`, () => {
      const events = parseFixture(name);
      assert.ok(events.length > 0);
      for (const event of events) {
        assert.equal(event.source, name.endsWith('.webhook.json') ? 'webhook' : 'backfill');
        assert.equal(event.consumer.emailHash, hashEmail(event.consumer.email));
        assert.ok(Number.isFinite(event.updatedAtMs));
      }
    });
  }

  it('maps order_created_us_basic', () => {
    const event = parseSingleFixture('order_created_us_basic.webhook.json');
    assert.equal(event.orderId, 8403117);
    assert.equal(event.orderNumber, '#NTO1042');
    assert.equal(event.eventName, 'order.created');
    assert.deepEqual(event.status, { code: 100, name: 'Processing' });
    assert.deepEqual(event.lineItems, [{ sku: 'NTO-BEANIE-GRY', quantity: 1 }]);
    assert.equal(event.lineItemCount, 1);
    assert.deepEqual(event.shippingAddress, {
      address1: '418 Larkspur Lane',
      address2: 'Apt 3B',
      city: 'Springfield',
      state: 'IL',
      zip: '62704',
      country: 'US',
    });
    assert.equal(event.consumer.name, 'Avery Lindqvist');
    assert.equal(event.consumer.email, 'avery.lindqvist@example.com');
    assert.equal(event.consumer.phone, '(217) 555-0134');
    assert.equal(event.store.label, 'north-trail-example.myshopify.com');
    assert.equal(event.store.key, '4101:311');
    assert.equal(event.store.provider, 'shopify');
    assert.equal(event.shippingMethod, 'USPS Priority Mail');
    assert.equal(event.requiresSignature, false);
    assert.equal(event.createdAt, '2026-03-02T10:14:05.000-05:00');
    assert.equal(event.updatedAt, '2026-03-02T10:14:05.000-05:00');
    assert.equal(event.updatedAtMs, Date.UTC(2026, 2, 2, 15, 14, 5));
    assert.deepEqual(event.tracking, { numbers: [], links: [] });
  });

  it('maps order_status_changed_us_basic_printed', () => {
    const event = parseSingleFixture('order_status_changed_us_basic_printed.webhook.json');
    assert.equal(event.orderId, 8403117);
    assert.deepEqual(event.status, { code: 120, name: 'Printed' });
    assert.equal(event.updatedAtMs, Date.UTC(2026, 2, 2, 19, 40, 12));
  });

  it('maps order_shipped_us_basic_tracking', () => {
    const event = parseSingleFixture('order_shipped_us_basic_tracking.webhook.json');
    assert.deepEqual(event.status, { code: 300, name: 'Shipped' });
    assert.deepEqual(event.tracking.numbers, ['9400111899562841736205']);
    assert.deepEqual(event.tracking.links, [
      'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899562841736205',
    ]);
  });

  it('maps order_cancelled', () => {
    const event = parseSingleFixture('order_cancelled.webhook.json');
    assert.deepEqual(event.status, { code: 40, name: 'Cancelled' });
    assert.equal(event.orderNumber, '#NTO1057');
    assert.equal(event.shippingAddress.zip, '05401-2210');
  });

  it('maps order_email_uppercase_whitespace', () => {
    const event = parseSingleFixture('order_email_uppercase_whitespace.webhook.json');
    assert.equal(event.consumer.email, 'marcus.delaney@example.com');
    assert.equal(event.consumer.emailHash, hashEmail('marcus.delaney@example.com'));
    assert.equal(event.shippingAddress.address2, null);
    assert.equal(event.shippingAddress.zip, '04101');
  });

  it('maps order_international_ca_postal_space', () => {
    const event = parseSingleFixture('order_international_ca_postal_space.webhook.json');
    assert.equal(event.shippingAddress.zip, 'H3B 1K9');
    assert.equal(event.shippingAddress.country, 'CA');
    assert.equal(event.shippingAddress.state, 'QC');
    assert.equal(event.consumer.phone, '+1 514-555-0166');
  });

  it('maps order_multi_items_repeated_sku', () => {
    const event = parseSingleFixture('order_multi_items_repeated_sku.api.json');
    assert.deepEqual(event.lineItems, [
      { sku: 'NTO-BEANIE-GRY', quantity: 2 },
      { sku: 'NTO-MUG-ENAMEL', quantity: 1 },
      { sku: 'NTO-BEANIE-GRY', quantity: 1 },
    ]);
    assert.equal(event.lineItemCount, 3);
    assert.equal(event.eventName, 'backfill');
    assert.equal(event.shippingMethod, 'UPS Ground');
  });

  it('maps order_missing_address2_and_phone', () => {
    const event = parseSingleFixture('order_missing_address2_and_phone.api.json');
    assert.equal(event.consumer.phone, null);
    assert.equal(event.shippingAddress.address2, null);
    assert.deepEqual(event.status, { code: 90, name: 'Paused' });
  });

  it('maps order_require_signature', () => {
    const event = parseSingleFixture('order_require_signature.webhook.json');
    assert.equal(event.requiresSignature, true);
    assert.equal(event.shippingMethod, 'FedEx 2Day');
  });

  it('maps orders_list_two_stores_same_email', () => {
    const [first, second] = parseFixture('orders_list_two_stores_same_email.api.json');
    assert.ok(first);
    assert.ok(second);
    assert.equal(first.consumer.emailHash, second.consumer.emailHash);
    assert.equal(first.store.key, '4101:311');
    assert.equal(second.store.key, '4187:587');
    assert.equal(second.store.label, 'glow-and-wick.example.com');
    assert.equal(second.store.provider, 'bigcommerce');
    assert.equal(second.updatedAtMs, Date.UTC(2026, 2, 11, 16, 5, 17));
  });
});
