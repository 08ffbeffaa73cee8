import type { OrderEvent } from '../../src/domain/order-event';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';
import { loadFixture } from './webhook';

/** Parses a webhook fixture into its normalized event, failing loudly if the fixture does not parse. */
export function fixtureEvent(name: string): OrderEvent {
  const parsed = parseWebhookBody(loadFixture(name));
  if (parsed.kind !== 'order') throw new Error(`fixture ${name} did not parse as an order: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

/** Returns a copy of `event` with the given fields replaced. */
export function withChanges(event: OrderEvent, changes: Partial<OrderEvent>): OrderEvent {
  return structuredClone({ ...event, ...changes });
}
