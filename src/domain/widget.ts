import type { Address, OrderEvent } from './order-event';

/**
 * The shape of the Whiplash widget data written to `PUT /api/customers/{id}/data`, and the pure functions
 * that build it. No Node.js imports: the customer workflow uses this module.
 */

/** The one top-level key this product owns in a Gorgias customer's data blob; other keys are kept. */
export const WIDGET_DATA_KEY = 'whiplash';

export interface WidgetProduct {
  sku: string | null;
  quantity: number;
}

export interface WidgetAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
}

/** One order as the widget shows it. Keys starting with `_` are hidden by Gorgias's template generator. */
export interface WidgetOrder {
  whiplash_order_id: number;
  store: string;
  order_number: string;
  date_created: string | null;
  status: string;
  requires_signature: boolean | null;
  shipping_method: string | null;
  products: WidgetProduct[];
  /** "+N more" when the order has more lines than the widget lists, else null. */
  more_products: string | null;
  ship_to: WidgetAddress;
  tracking_numbers: string[];
  tracking_links: string[];
  updated_at: string;
  _store_key: string;
  _status_code: number;
  _updated_at_ms: number;
}

export interface WidgetCustomer {
  name: string | null;
  email: string;
  phone: string | null;
}

export interface WidgetData {
  customer: WidgetCustomer;
  address: WidgetAddress;
  orders: WidgetOrder[];
  synced_at: string;
}

/** Converts a normalized order event into the widget's order entry. */
export function toWidgetOrder(event: OrderEvent): WidgetOrder {
  const hidden = event.lineItemCount - event.lineItems.length;
  return {
    whiplash_order_id: event.orderId,
    store: event.store.label,
    order_number: event.orderNumber,
    date_created: event.createdAt,
    status: event.status.name,
    requires_signature: event.requiresSignature,
    shipping_method: event.shippingMethod,
    products: event.lineItems.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    more_products: hidden > 0 ? `+${hidden} more` : null,
    ship_to: toWidgetAddress(event.shippingAddress),
    tracking_numbers: event.tracking.numbers,
    tracking_links: event.tracking.links,
    updated_at: event.updatedAt,
    _store_key: event.store.key,
    _status_code: event.status.code,
    _updated_at_ms: event.updatedAtMs,
  };
}

export function toWidgetAddress(address: Address): WidgetAddress {
  return {
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    state: address.state,
    zip: address.zip,
    country: address.country,
  };
}

/**
 * Sorts orders newest first (by creation date, then by Whiplash id) and keeps the first `maxOrders`.
 * Dates are compared as instants, because Whiplash sends local offsets.
 */
export function newestOrders(orders: readonly WidgetOrder[], maxOrders: number): WidgetOrder[] {
  const created = (order: WidgetOrder) => {
    const ms = order.date_created === null ? NaN : Date.parse(order.date_created);
    return Number.isNaN(ms) ? order._updated_at_ms : ms;
  };
  return [...orders]
    .sort((a, b) => created(b) - created(a) || b.whiplash_order_id - a.whiplash_order_id)
    .slice(0, maxOrders);
}
