import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { OrderEvent } from '../../src/domain/order-event';
import { parseWhiplashOrder, type ParseOrderOptions } from '../../src/whiplash/parse-order';

type RawOrder = Record<string, unknown>;

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'whiplash');
const REQUIRED_FIELDS = ['id', 'email', 'status', 'updated_at'];
const CONTEXT = { eventName: 'order.created', source: 'webhook' } as const;

/** Returns a fresh copy of the order in `order_created_us_basic.webhook.json`. */
function baseOrder(): RawOrder {
  const body = JSON.parse(readFileSync(join(FIXTURE_DIR, 'order_created_us_basic.webhook.json'), 'utf8'));
  return body.order as RawOrder;
}

function parseOk(order: unknown, options?: ParseOrderOptions): OrderEvent {
  const result = parseWhiplashOrder(order, CONTEXT, options);
  assert.ok(result.ok, `expected the order to parse: ${JSON.stringify(result)}`);
  return result.event;
}

function lineItems(count: number): RawOrder[] {
  return Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 + (index % 3) }));
}

describe('parseWhiplashOrder tolerance', () => {
  it('parses with every optional field null', () => {
    const order = baseOrder();
    for (const key of Object.keys(order).filter((name) => !REQUIRED_FIELDS.includes(name))) {
      order[key] = null;
    }
    const event = parseOk(order);
    assert.equal(event.orderNumber, '8403117');
    assert.deepEqual(event.status, { code: 100, name: 'Processing' });
    assert.deepEqual(event.store, {
      whiplashCustomerId: null,
      shopId: null,
      shopDomain: null,
      provider: null,
      key: 'none:none',
      label: 'Unknown store',
    });
    assert.equal(event.createdAt, null);
    assert.equal(event.requiresSignature, null);
    assert.equal(event.shippingMethod, null);
    assert.deepEqual(event.lineItems, []);
    assert.equal(event.lineItemCount, 0);
    assert.equal(event.consumer.name, null);
    assert.equal(event.consumer.phone, null);
    assert.deepEqual(Object.values(event.shippingAddress), [null, null, null, null, null, null]);
    assert.deepEqual(event.tracking, { numbers: [], links: [] });
  });

  it('parses with every optional field absent', () => {
    const order = baseOrder();
    const required = Object.fromEntries(REQUIRED_FIELDS.map((key) => [key, order[key]]));
    assert.equal(parseOk(required).orderId, 8403117);
  });

  it('treats empty text as unknown', () => {
    const event = parseOk({ ...baseOrder(), shipping_address_2: '', shipping_phone: '  ', shipping_name: '' });
    assert.equal(event.shippingAddress.address2, null);
    assert.equal(event.consumer.phone, null);
    assert.equal(event.consumer.name, null);
  });

  it('reads optional fields of the wrong type as null', () => {
    const event = parseOk({ ...baseOrder(), shipping_city: { name: 'Springfield' }, originator: 'shopify' });
    assert.equal(event.shippingAddress.city, null);
    assert.equal(event.store.key, '4101:none');
  });

  it('pads a numeric US zip and maps the country name', () => {
    const { shipping_country_iso2: _iso2, ...order } = baseOrder();
    const event = parseOk({ ...order, shipping_zip: 2134, shipping_country: 'United States' });
    assert.equal(event.shippingAddress.zip, '02134');
    assert.equal(event.shippingAddress.country, 'US');
  });

  it('keeps a numeric zip outside the US unpadded', () => {
    const event = parseOk({ ...baseOrder(), shipping_zip: 1010, shipping_country_iso2: 'AT' });
    assert.equal(event.shippingAddress.zip, '1010');
  });

  it('keeps a text zip as sent', () => {
    assert.equal(parseOk({ ...baseOrder(), shipping_zip: '2134' }).shippingAddress.zip, '2134');
  });

  it('prefers shipping_country_iso2', () => {
    const event = parseOk({ ...baseOrder(), shipping_country: 'Canada', shipping_country_iso2: 'ca' });
    assert.equal(event.shippingAddress.country, 'CA');
  });

  it('keeps an unknown country name as sent', () => {
    const event = parseOk({ ...baseOrder(), shipping_country: 'Republic of Kiribati', shipping_country_iso2: null });
    assert.equal(event.shippingAddress.country, 'Republic of Kiribati');
  });

  it('reads an id sent as a digit string', () => {
    assert.equal(parseOk({ ...baseOrder(), id: '8403117' }).orderId, 8403117);
  });

  it('reads a status sent as a digit string', () => {
    const event = parseOk({ ...baseOrder(), status: '300', status_name: null });
    assert.deepEqual(event.status, { code: 300, name: 'Shipped' });
  });

  it('names an unknown status by its code', () => {
    assert.deepEqual(parseOk({ ...baseOrder(), status: 999, status_name: null }).status, {
      code: 999,
      name: 'Status 999',
    });
  });

  it('reads a quantity sent as a digit string', () => {
    const event = parseOk({ ...baseOrder(), order_items: [{ sku: 'NTO-BEANIE-GRY', quantity: '2' }] });
    assert.deepEqual(event.lineItems, [{ sku: 'NTO-BEANIE-GRY', quantity: 2 }]);
  });

  it('caps line items at 50 by default', () => {
    const event = parseOk({ ...baseOrder(), order_items: lineItems(3000) });
    assert.equal(event.lineItemCount, 3000);
    assert.equal(event.lineItems.length, 50);
    assert.deepEqual(event.lineItems[49], { sku: 'SKU-49', quantity: 2 });
  });

  it('caps line items at maxLineItems', () => {
    const event = parseOk({ ...baseOrder(), order_items: lineItems(3000) }, { maxLineItems: 10 });
    assert.equal(event.lineItemCount, 3000);
    assert.deepEqual(
      event.lineItems.map((item) => item.sku),
      lineItems(10).map((item) => item.sku),
    );
  });

  it('throws on an invalid maxLineItems', () => {
    assert.throws(() => parseWhiplashOrder(baseOrder(), CONTEXT, { maxLineItems: -1 }), RangeError);
    assert.throws(() => parseWhiplashOrder(baseOrder(), CONTEXT, { maxLineItems: 2.5 }), RangeError);
  });

  it('cuts text fields to 500 characters without splitting an emoji', () => {
    const event = parseOk({ ...baseOrder(), shipping_name: '😀'.repeat(2000), order_orig: 'x'.repeat(100_000) });
    assert.equal(event.consumer.name, '😀'.repeat(500));
    assert.equal(event.orderNumber, 'x'.repeat(500));
  });

  it('keeps at most 20 tracking numbers and links', () => {
    const numbers = Array.from({ length: 500 }, (_, index) => `TRACK${index}`);
    const event = parseOk({ ...baseOrder(), tracking: numbers, tracking_links: numbers, packages: [] });
    assert.deepEqual(event.tracking.numbers, numbers.slice(0, 20));
    assert.equal(event.tracking.links.length, 20);
  });

  it('reads a timestamp without an offset as UTC', () => {
    const event = parseOk({ ...baseOrder(), updated_at: '2026-03-02T10:14:05' });
    assert.equal(event.updatedAtMs, Date.UTC(2026, 2, 2, 10, 14, 5));
    assert.equal(event.updatedAt, '2026-03-02T10:14:05');
  });

  it('drops an unreadable created_at', () => {
    assert.equal(parseOk({ ...baseOrder(), created_at: 'not a date' }).createdAt, null);
  });
});

describe('parseWhiplashOrder mapping', () => {
  it('falls back through the order number fields', () => {
    const order = baseOrder();
    const originator = order.originator as RawOrder;
    assert.equal(parseOk({ ...order, order_orig: null }).orderNumber, '5931184250881');
    const withoutOriginalId = { ...order, order_orig: null, originator: { ...originator, original_id: null } };
    assert.equal(parseOk(withoutOriginalId).orderNumber, '8403117');
    assert.equal(parseOk({ ...withoutOriginalId, humanize_id: 'W-8403117' }).orderNumber, 'W-8403117');
  });

  it('falls back through the consumer name fields', () => {
    const order = { ...baseOrder(), shipping_name: null };
    assert.equal(parseOk({ ...order, full_name: 'Avery L.' }).consumer.name, 'Avery L.');
    assert.equal(parseOk({ ...order, first_name: 'Avery', last_name: 'Lindqvist' }).consumer.name, 'Avery Lindqvist');
    assert.equal(parseOk({ ...order, first_name: null, last_name: 'Lindqvist' }).consumer.name, 'Lindqvist');
  });

  it('falls back to ship_method', () => {
    assert.equal(parseOk({ ...baseOrder(), shipping_method: null }).shippingMethod, 'USPS Priority Mail');
  });

  it('labels a store without a shop domain', () => {
    const order = baseOrder();
    const originator = { ...(order.originator as RawOrder), shop_domain: null };
    assert.equal(parseOk({ ...order, originator }).store.label, 'shopify shop 311');
    assert.equal(parseOk({ ...order, originator: null }).store.label, 'Whiplash account 4101');
  });

  it('counts an adult signature as a signature', () => {
    const event = parseOk({ ...baseOrder(), require_signature: false, require_adult_signature: true });
    assert.equal(event.requiresSignature, true);
  });

  it('adds package tracking missing from the order lists', () => {
    const event = parseOk({
      ...baseOrder(),
      tracking: ['1Z001'],
      tracking_links: ['https://example.com/1Z001'],
      packages: [
        { tracking: '1Z001', tracking_link: 'https://example.com/1Z001' },
        { tracking: '1Z002', tracking_link: 'https://example.com/1Z002' },
        { tracking: null, tracking_link: null },
      ],
    });
    assert.deepEqual(event.tracking.numbers, ['1Z001', '1Z002']);
    assert.deepEqual(event.tracking.links, ['https://example.com/1Z001', 'https://example.com/1Z002']);
  });

  it('copies the context onto the event', () => {
    const result = parseWhiplashOrder(baseOrder(), { eventName: 'reconcile', source: 'reconcile' });
    assert.ok(result.ok);
    assert.equal(result.event.eventName, 'reconcile');
    assert.equal(result.event.source, 'reconcile');
  });
});
