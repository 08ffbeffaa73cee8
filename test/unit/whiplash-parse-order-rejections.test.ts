import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parseWhiplashOrder, type OrderIssue } from '../../src/whiplash/parse-order';

type RawOrder = Record<string, unknown>;

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'whiplash');
const CONTEXT = { eventName: 'order.created', source: 'webhook' } as const;

/** Returns a fresh copy of the order in `order_created_us_basic.webhook.json`. */
function baseOrder(): RawOrder {
  const body = JSON.parse(readFileSync(join(FIXTURE_DIR, 'order_created_us_basic.webhook.json'), 'utf8'));
  return body.order as RawOrder;
}

function parseIssues(order: unknown): OrderIssue[] {
  const result = parseWhiplashOrder(order, CONTEXT);
  assert.equal(result.ok, false, 'expected the order to be rejected');
  return result.ok ? [] : result.issues;
}

function assertSingleIssue(order: unknown, path: string, messagePattern: RegExp): void {
  const issues = parseIssues(order);
  assert.deepEqual(
    issues.map((issue) => issue.path),
    [path],
  );
  assert.match(issues[0]?.message ?? '', messagePattern);
}

function lineItems(count: number): RawOrder[] {
  return Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 + (index % 3) }));
}

describe('parseWhiplashOrder rejections', () => {
  it('rejects a missing id', () => {
    const { id: _id, ...order } = baseOrder();
    assertSingleIssue(order, 'order.id', /id is missing/);
  });

  it('rejects a zero id', () => {
    assertSingleIssue({ ...baseOrder(), id: 0 }, 'order.id', /positive integer.*Received 0/);
  });

  it('rejects a non-numeric id', () => {
    assertSingleIssue({ ...baseOrder(), id: 'A-17' }, 'order.id', /Received "A-17"/);
  });

  it('rejects a missing email', () => {
    const { email: _email, ...order } = baseOrder();
    assertSingleIssue(order, 'order.email', /email is missing/);
  });

  it('rejects a null email', () => {
    assertSingleIssue({ ...baseOrder(), email: null }, 'order.email', /email is missing/);
  });

  it('rejects a blank email', () => {
    assertSingleIssue({ ...baseOrder(), email: '   ' }, 'order.email', /email is blank/);
  });

  it('rejects an email without a domain', () => {
    assertSingleIssue({ ...baseOrder(), email: 'avery.lindqvist' }, 'order.email', /name@domain/);
  });

  it('rejects an email longer than 254 characters', () => {
    const email = `${'a'.repeat(250)}@example.com`;
    assertSingleIssue({ ...baseOrder(), email }, 'order.email', /longer than the 254 characters/);
  });

  it('keeps the email out of the message', () => {
    const issues = parseIssues({ ...baseOrder(), email: 'avery lindqvist@example' });
    assert.doesNotMatch(issues[0]?.message ?? '', /lindqvist/);
  });

  it('rejects a missing status', () => {
    const { status: _status, ...order } = baseOrder();
    assertSingleIssue(order, 'order.status', /status is missing/);
  });

  it('rejects a non-numeric status', () => {
    assertSingleIssue({ ...baseOrder(), status: 'Processing' }, 'order.status', /Received "Processing"/);
  });

  it('rejects an unparseable updated_at', () => {
    assertSingleIssue({ ...baseOrder(), updated_at: 'yesterday' }, 'order.updated_at', /not a readable timestamp/);
  });

  it('rejects a missing updated_at', () => {
    const { updated_at: _updatedAt, ...order } = baseOrder();
    assertSingleIssue(order, 'order.updated_at', /updated_at is missing/);
  });

  it('rejects a line item without a readable quantity', () => {
    const order = { ...baseOrder(), order_items: lineItems(3) };
    (order.order_items[2] as RawOrder).quantity = 'two';
    assertSingleIssue(order, 'order.order_items.2.quantity', /Received "two"/);
  });

  it('rejects order_items that is not a list', () => {
    assertSingleIssue({ ...baseOrder(), order_items: 'NTO-BEANIE-GRY' }, 'order.order_items', /must be an array/);
  });

  it('rejects a body that is not an object', () => {
    for (const raw of [null, 'order', 42, [baseOrder()]]) {
      assert.deepEqual(
        parseIssues(raw).map((issue) => issue.path),
        ['order'],
      );
    }
  });

  it('reports every problem at once', () => {
    const paths = parseIssues({ id: 'x', email: '' }).map((issue) => issue.path);
    assert.deepEqual(paths.sort(), ['order.email', 'order.id', 'order.status', 'order.updated_at']);
  });
});
