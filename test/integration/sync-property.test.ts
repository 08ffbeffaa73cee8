import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { statusName, statusRank } from '../../src/domain/order-status';
import { orderStateQuery } from '../../workflows/definitions';
import { WIDGET_DATA_KEY, type WidgetData } from '../../src/domain/widget';
import { eventually, startStack, type Stack } from '../support/stack';
import { postWebhook } from '../support/webhook';
import { orderWebhook } from '../support/orders';

const ORDERS_PER_CASE = 3;
const EMAILS_PER_CASE = 2;
const STATUSES = [100, 120, 150, 300];

interface Delivery {
  order: number;
  minute: number;
  status: number;
  email: number;
}

interface Faults {
  serverErrorRate: number;
  rateLimited: boolean;
}

const deliveryArbitrary: fc.Arbitrary<Delivery> = fc.record({
  order: fc.integer({ min: 0, max: ORDERS_PER_CASE - 1 }),
  minute: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom(...STATUSES),
  email: fc.integer({ min: 0, max: EMAILS_PER_CASE - 1 }),
});

/** Sequences with duplicates and any order; every delivery may be sent twice. */
const sequenceArbitrary = fc
  .array(fc.tuple(deliveryArbitrary, fc.boolean()), { minLength: 3, maxLength: 8 })
  .map((pairs) => pairs.flatMap(([delivery, twice]) => (twice ? [delivery, delivery] : [delivery])));

const faultsArbitrary: fc.Arbitrary<Faults> = fc.record({
  serverErrorRate: fc.constantFrom(0, 0.15),
  rateLimited: fc.boolean(),
});

/**
 * Computes the reference model's result: per order, the delivery with the latest minute wins, ties are broken
 * by lifecycle rank, and a full tie keeps the delivery that came first. Maps order index to winning delivery.
 */
function expectedOrders(deliveries: Delivery[]): Map<number, Delivery> {
  const winners = new Map<number, Delivery>();
  for (const delivery of deliveries) {
    const current = winners.get(delivery.order);
    const newer =
      current === undefined ||
      delivery.minute > current.minute ||
      (delivery.minute === current.minute && statusRank(delivery.status) > statusRank(current.status));
    if (newer) winners.set(delivery.order, delivery);
  }
  return winners;
}

describe('sync against a reference model', () => {
  let stack: Stack;
  let caseNumber = 0;

  before(async () => {
    stack = await startStack({ debounceWindowMs: 100 });
  });
  after(async () => {
    await stack?.stop();
  });

  /** Reads the orders listed for an email: order id to status, or null when the email has no customer. */
  async function widgetOrders(email: string): Promise<Map<number, string> | null> {
    const customers = await stack.gorgias.listCustomersByEmail(email);
    assert.ok(customers.length <= 1, `duplicate Gorgias customers for ${email}`);
    if (customers.length === 0) return null;
    const customer = await stack.gorgias.getCustomer(customers[0]!.id);
    const widget = (customer.data as Record<string, unknown> | null)?.[WIDGET_DATA_KEY] as WidgetData | undefined;
    return new Map((widget?.orders ?? []).map((order) => [order.whiplash_order_id, order.status]));
  }

  async function runCase(deliveries: Delivery[], faults: Faults): Promise<void> {
    caseNumber++;
    const orderId = (order: number) => 720_000 + caseNumber * 10 + order;
    const email = (index: number) => `model${caseNumber}-${index}@example.com`;

    stack.emulator.configure({
      faults: { serverErrorRate: faults.serverErrorRate },
      rateLimit: faults.rateLimited ? { limit: 6, windowSeconds: 2 } : null,
    });
    try {
      for (const delivery of deliveries) {
        const body = orderWebhook({
          id: orderId(delivery.order),
          email: email(delivery.email),
          minute: delivery.minute,
          status: delivery.status,
          shopId: 300 + delivery.order,
          shopDomain: `store-${delivery.order}.example.com`,
        });
        assert.equal((await postWebhook(stack.apiUrl, body)).status, 202);
      }
      const expected = expectedOrders(deliveries);
      // Reads of the emulator count against its rate limit too, so the check waits for Temporal first.
      for (const order of expected.keys()) {
        await eventually(async () => {
          const state = await stack.client.workflow
            .getHandle(`whiplash-order-${orderId(order)}`)
            .query(orderStateQuery);
          assert.equal(state.syncState, 'synced');
        }, 90_000);
      }
      stack.emulator.configure({ faults: { serverErrorRate: 0 }, rateLimit: null });

      await eventually(async () => {
        for (let index = 0; index < EMAILS_PER_CASE; index++) {
          const listed = await widgetOrders(email(index));
          for (const [order, winner] of expected) {
            const status = listed?.get(orderId(order));
            if (winner.email === index) {
              assert.equal(status, statusName(winner.status), `order ${order} on email ${index}`);
            } else {
              assert.equal(status, undefined, `order ${order} must not be listed on email ${index}`);
            }
          }
        }
      }, 60_000);
    } finally {
      stack.emulator.configure({ faults: { serverErrorRate: 0 }, rateLimit: null });
    }
  }

  test('final Gorgias state matches the model', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArbitrary, faultsArbitrary, (deliveries, faults) => runCase(deliveries, faults)),
      {
        numRuns: 8,
        endOnFailure: true,
        // Always covered: a status tie broken by rank, a duplicate, an email change and a stale event.
        examples: [
          [
            [
              { order: 0, minute: 1, status: 120, email: 0 },
              { order: 0, minute: 1, status: 300, email: 0 },
              { order: 1, minute: 2, status: 100, email: 0 },
              { order: 1, minute: 2, status: 100, email: 0 },
              { order: 1, minute: 3, status: 150, email: 1 },
              { order: 1, minute: 1, status: 120, email: 0 },
            ],
            { serverErrorRate: 0, rateLimited: false },
          ],
        ],
      },
    );
  });
});
