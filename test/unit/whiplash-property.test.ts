import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { normalizeEmail } from '../../src/whiplash/email';
import { parseWhiplashOrder, type ParseOrderResult } from '../../src/whiplash/parse-order';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';

type Json = Record<string, unknown>;
type FieldPath = (string | number)[];

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'whiplash');
const NUM_RUNS = 400;
const MAX_LINE_ITEMS = 50;
const CONTEXT = { eventName: 'backfill', source: 'backfill' } as const;
// Fields whose bad values may reject an order. Replacing any other top-level field must never reject it.
const REJECTABLE_FIELDS = ['id', 'status', 'email', 'updated_at', 'order_items'];

function loadFixtureOrders(): Json[] {
  const names = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'));
  return names.flatMap((name) => {
    const json: unknown = JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8'));
    if (Array.isArray(json)) {
      return json as Json[];
    }
    return name.endsWith('.webhook.json') ? [(json as Json).order as Json] : [json as Json];
  });
}

/** Lists the paths of every field in an order down to `depth` levels, including array elements. */
function fieldPaths(value: unknown, depth: number, prefix: FieldPath = []): FieldPath[] {
  if (depth === 0 || typeof value !== 'object' || value === null) {
    return [];
  }
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, depth - 1, [...prefix, key])]);
}

// An earlier replacement may have removed the field's parent, and then the replacement is skipped.
function setField(order: Json, path: FieldPath, replacement: unknown): void {
  let target: unknown = order;
  for (const key of path.slice(0, -1)) {
    if (typeof target !== 'object' || target === null) {
      return;
    }
    target = (target as Record<string | number, unknown>)[key];
  }
  if (typeof target === 'object' && target !== null) {
    (target as Record<string | number, unknown>)[path[path.length - 1] as string | number] = replacement;
  }
}

function assertWellFormed(result: ParseOrderResult): void {
  if (result.ok) {
    const { event } = result;
    assert.ok(Number.isSafeInteger(event.orderId));
    assert.ok(event.orderId > 0);
    assert.ok(Number.isFinite(event.updatedAtMs));
    assert.equal(event.consumer.email, normalizeEmail(event.consumer.email));
    assert.match(event.consumer.emailHash, /^[0-9a-f]{64}$/);
    assert.ok(event.lineItems.length <= MAX_LINE_ITEMS);
    assert.ok(event.lineItems.length <= event.lineItemCount);
    return;
  }
  assert.ok(result.issues.length > 0);
  for (const issue of result.issues) {
    assert.match(issue.path, /^order(\.|$)/);
    assert.ok(issue.message.trim().length > 0);
  }
}

const orders = loadFixtureOrders();
const replacedOrder = fc
  .constantFrom(...orders)
  .chain((order) =>
    fc.tuple(
      fc.constant(order),
      fc.array(fc.tuple(fc.constantFrom(...fieldPaths(order, 3)), fc.jsonValue()), { minLength: 1, maxLength: 6 }),
    ),
  )
  .map(([order, replacements]) => {
    const copy = structuredClone(order);
    for (const [path, replacement] of replacements) {
      setField(copy, path, replacement);
    }
    return copy;
  });

describe('Whiplash parsing properties', () => {
  it('parseWhiplashOrder never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => assertWellFormed(parseWhiplashOrder(json, CONTEXT))),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseWhiplashOrder never throws on damaged fixtures', () => {
    fc.assert(
      fc.property(replacedOrder, (order) => assertWellFormed(parseWhiplashOrder(order, CONTEXT))),
      { numRuns: NUM_RUNS },
    );
  });

  it('accepts any value in optional fields', () => {
    const optionalFields = Object.keys(orders[0] ?? {}).filter((key) => !REJECTABLE_FIELDS.includes(key));
    const arbitrary = fc.tuple(
      fc.constantFrom(...orders),
      fc.array(fc.tuple(fc.constantFrom(...optionalFields), fc.jsonValue()), { minLength: 1, maxLength: 10 }),
    );
    fc.assert(
      fc.property(arbitrary, ([order, replacements]) => {
        const result = parseWhiplashOrder({ ...order, ...Object.fromEntries(replacements) }, CONTEXT);
        assert.ok(result.ok, JSON.stringify(result));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parseWebhookBody never throws on any JSON value', () => {
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.record({ event_name: fc.string(), order: fc.jsonValue() }),
      fc.record({ event_name: fc.constant('order.created'), order: replacedOrder }),
    );
    fc.assert(
      fc.property(bodies, (json) => {
        const result = parseWebhookBody(json);
        if (result.kind === 'invalid') {
          assert.ok(result.issues.length > 0);
          for (const issue of result.issues) {
            assert.ok(issue.path.length > 0);
            assert.ok(issue.message.length > 0);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
