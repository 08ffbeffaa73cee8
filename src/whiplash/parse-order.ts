import type { z } from 'zod';

import type { Address, Consumer, OrderEvent, OrderEventSource, StoreRef, Tracking } from '../domain/order-event';
import { statusName } from '../domain/order-status';
import { hashEmail } from './email';
import { describeValue, isJsonObject, whiplashOrderSchema, type WhiplashOrder } from './order-schema';

/** One reason an order was rejected. */
export interface OrderIssue {
  /** Dotted path of the field in the webhook body, such as `order.email` or `order.order_items.2.quantity`. */
  path: string;
  /** Explanation of what is wrong with the value and what to do next. Messages about `email` never quote it. */
  message: string;
}

/** Either the normalized event or every reason the order cannot become one. */
export type ParseOrderResult = { ok: true; event: OrderEvent } | { ok: false; issues: OrderIssue[] };

/** Origin of an order, copied onto the event. */
export interface ParseOrderContext {
  /** Whiplash `event_name`, or a synthetic name such as `backfill` for API listings. */
  eventName: string;
  source: OrderEventSource;
}

/** Options for {@link parseWhiplashOrder}. */
export interface ParseOrderOptions {
  /**
   * Maximum number of line items copied onto the event. `lineItemCount` still counts every line.
   * @default 50
   */
  maxLineItems?: number;
}

/** Default for {@link ParseOrderOptions.maxLineItems}. */
export const DEFAULT_MAX_LINE_ITEMS = 50;

/**
 * Parses one Whiplash V2 order (or a legacy V1 order with the same fields) into an {@link OrderEvent}.
 *
 * The order is rejected only when the event would be unusable: no valid `id`, `status` or email, an
 * `updated_at` that Date.parse cannot read, or line items without a readable quantity. Every other
 * missing or unreadable field becomes null. Issue paths start with `order.`. It never throws on the order
 * itself, but throws a RangeError when `maxLineItems` is not a non-negative integer.
 */
export function parseWhiplashOrder(
  raw: unknown,
  context: ParseOrderContext,
  options: ParseOrderOptions = {},
): ParseOrderResult {
  const maxLineItems = options.maxLineItems ?? DEFAULT_MAX_LINE_ITEMS;
  if (!Number.isSafeInteger(maxLineItems) || maxLineItems < 0) {
    throw new RangeError(`maxLineItems must be a non-negative integer, but it is ${String(maxLineItems)}.`);
  }

  if (!isJsonObject(raw)) {
    const message = `The order must be a JSON object. Received ${describeValue(raw)}.`;
    return { ok: false, issues: [{ path: 'order', message }] };
  }

  const parsed = whiplashOrderSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map(toOrderIssue) };
  }

  return { ok: true, event: toOrderEvent(parsed.data, context, maxLineItems) };
}

function toOrderIssue(issue: z.core.$ZodIssue): OrderIssue {
  return { path: ['order', ...issue.path.map(String)].join('.'), message: issue.message };
}

function toOrderEvent(order: WhiplashOrder, context: ParseOrderContext, maxLineItems: number): OrderEvent {
  return {
    orderId: order.id,
    store: toStoreRef(order),
    orderNumber: order.order_orig ?? order.originator?.original_id ?? order.humanize_id ?? String(order.id),
    createdAt: order.created_at,
    updatedAt: order.updated_at.text,
    updatedAtMs: order.updated_at.milliseconds,
    status: { code: order.status, name: order.status_name ?? statusName(order.status) ?? `Status ${order.status}` },
    requiresSignature: toRequiresSignature(order),
    shippingMethod: order.shipping_method?.name ?? order.ship_method,
    lineItems: order.order_items.slice(0, maxLineItems).map(({ sku, quantity }) => ({ sku, quantity })),
    lineItemCount: order.order_items.length,
    consumer: toConsumer(order),
    shippingAddress: toAddress(order),
    tracking: toTracking(order),
    eventName: context.eventName,
    source: context.source,
  };
}

function toStoreRef(order: WhiplashOrder): StoreRef {
  const whiplashCustomerId = order.customer_id;
  const shopId = order.originator?.shop_id ?? null;
  const shopDomain = order.originator?.shop_domain ?? null;
  const provider = order.originator?.provider ?? null;

  let label: string;
  if (shopDomain !== null) {
    label = shopDomain;
  } else if (shopId !== null) {
    label = `${provider ?? 'Unknown'} shop ${shopId}`;
  } else if (whiplashCustomerId !== null) {
    label = `Whiplash account ${whiplashCustomerId}`;
  } else {
    label = 'Unknown store';
  }

  const key = `${whiplashCustomerId ?? 'none'}:${shopId ?? 'none'}`;
  return { whiplashCustomerId, shopId, shopDomain, provider, key, label };
}

// An adult signature is a signature too, so either flag set means the carrier needs one.
function toRequiresSignature(order: WhiplashOrder): boolean | null {
  if (order.require_signature === true || order.require_adult_signature === true) {
    return true;
  }
  return order.require_signature;
}

function toConsumer(order: WhiplashOrder): Consumer {
  const firstAndLast = [order.first_name, order.last_name].filter((part) => part !== null).join(' ');
  const name = order.shipping_name ?? order.full_name ?? (firstAndLast === '' ? null : firstAndLast);
  return { name, email: order.email, emailHash: hashEmail(order.email), phone: order.shipping_phone };
}

function toAddress(order: WhiplashOrder): Address {
  return {
    address1: order.shipping_address_1,
    address2: order.shipping_address_2,
    city: order.shipping_city,
    state: order.shipping_state,
    zip: order.shipping_zip,
    country: order.shipping_country,
  };
}

// Whiplash lists tracking on the order and again on each package. The package copies add only what the
// order-level lists lack.
// Even a split shipment has a handful of parcels; the cap bounds the event whatever the payload holds.
const MAX_TRACKING = 20;

function toTracking(order: WhiplashOrder): Tracking {
  const numbers = new Set(order.tracking);
  const links = new Set(order.tracking_links);
  for (const shipped of order.packages) {
    if (shipped.tracking !== null) {
      numbers.add(shipped.tracking);
    }
    if (shipped.tracking_link !== null) {
      links.add(shipped.tracking_link);
    }
  }
  return { numbers: [...numbers].slice(0, MAX_TRACKING), links: [...links].slice(0, MAX_TRACKING) };
}
