import type { OrderEvent } from '../domain/order-event';
import { clipText, describeValue, isJsonObject } from './order-schema';
import { parseWhiplashOrder, type OrderIssue, type ParseOrderOptions } from './parse-order';

/** Outcome of parsing a Whiplash webhook body. */
export type WebhookParseResult =
  | { kind: 'order'; event: OrderEvent }
  | { kind: 'ignored'; eventName: string; reason: string }
  | { kind: 'invalid'; issues: OrderIssue[] };

/** Options for {@link parseWebhookBody}. */
export type WebhookParseOptions = ParseOrderOptions;

// Whiplash resources whose events arrive on the same endpoint but never change an order.
const NON_ORDER_RESOURCES: ReadonlySet<string> = new Set(['item', 'consumer_return', 'shipnotice']);

const MAX_EVENT_NAME_LENGTH = 100;

const LEGACY_V1_ORDER_KEYS = ['originator_id', 'provider', 'reference'];

const LEGACY_V1_ADVICE =
  'The order has the legacy V1 shape, so switch the Whiplash notification subscription to payload version 2.';

/**
 * Parses a Whiplash webhook body of the form `{ "event_name": "order.shipped", "order": { … } }`.
 *
 * Every `order.*` event becomes an order event, whatever its suffix. Events of other resources, and event
 * names this service does not know, are `ignored` so Whiplash gets a 2xx and keeps the hook active.
 * A body that is not an object, has no `event_name`, or carries an order event without a usable order is
 * `invalid`. Issue paths are `(root)`, `event_name`, `order` or `order.<field>`.
 *
 * Legacy V1 bodies are parsed like V2 ones when the needed fields are present. When they are not, each
 * issue message also says to switch the subscription to payload version 2.
 */
export function parseWebhookBody(json: unknown, options: WebhookParseOptions = {}): WebhookParseResult {
  if (!isJsonObject(json)) {
    const message = `The body must be a JSON object with event_name and order. Received ${describeValue(json)}.`;
    return invalid('(root)', message);
  }

  const rawEventName = json.event_name;
  if (typeof rawEventName !== 'string' || rawEventName.trim() === '') {
    const message =
      rawEventName === undefined
        ? 'event_name is missing. Whiplash sends it in every webhook body, such as "order.shipped".'
        : `event_name must be a non-empty string such as "order.shipped". Received ${describeValue(rawEventName)}.`;
    return invalid('event_name', message);
  }

  // Real event names are short, such as "order.shipped". A longer one is cut, so responses and events stay small.
  const eventName = clipText(rawEventName.trim(), MAX_EVENT_NAME_LENGTH);
  if (!eventName.toLowerCase().startsWith('order.')) {
    return { kind: 'ignored', eventName, reason: describeIgnoredEvent(eventName) };
  }

  const order = json.order;
  if (!isJsonObject(order)) {
    const message = `${eventName} must carry the order as an object. Received ${describeValue(order)}.`;
    return invalid('order', message);
  }

  const parsed = parseWhiplashOrder(order, { eventName, source: 'webhook' }, options);
  if (parsed.ok) {
    return { kind: 'order', event: parsed.event };
  }

  if (!isLegacyV1Order(order)) {
    return { kind: 'invalid', issues: parsed.issues };
  }
  const issues = parsed.issues.map((issue) => ({ ...issue, message: `${issue.message} ${LEGACY_V1_ADVICE}` }));
  return { kind: 'invalid', issues };
}

/**
 * Returns whether an order has the legacy V1 shape: `originator_id`, `provider` or `reference` on the order
 * itself, and no `originator` object. Subscriptions created with payload version 1 send this shape.
 */
export function isLegacyV1Order(order: Record<string, unknown>): boolean {
  if (isJsonObject(order.originator)) {
    return false;
  }
  return LEGACY_V1_ORDER_KEYS.some((key) => Object.hasOwn(order, key));
}

function describeIgnoredEvent(eventName: string): string {
  const dot = eventName.indexOf('.');
  const resource = (dot === -1 ? eventName : eventName.slice(0, dot)).toLowerCase();
  if (NON_ORDER_RESOURCES.has(resource)) {
    return `${eventName} is a Whiplash ${resource} event, and this service syncs only order events.`;
  }
  return `${eventName} is not an event this service knows, and it syncs only order.* events.`;
}

function invalid(path: string, message: string): WebhookParseResult {
  return { kind: 'invalid', issues: [{ path, message }] };
}
