/**
 * The normalized form of one Whiplash order at one moment, built from a webhook body or an API listing.
 *
 * It is deliberately small: it travels through Temporal history as a signal argument, so it holds only the
 * fields the widget shows and the keys that order events. Never put the whole Whiplash payload here.
 * This module has no Node.js imports because workflow code uses it.
 */
export interface OrderEvent {
  /** Whiplash order `id`. */
  orderId: number;
  store: StoreRef;
  /** Shop-facing order number: `order_orig`, else `originator.original_id`, else `humanize_id`, else the id. */
  orderNumber: string;
  /** `created_at` exactly as Whiplash sent it (ISO 8601 with its original offset), or null. */
  createdAt: string | null;
  /** `updated_at` exactly as Whiplash sent it (ISO 8601 with its original offset). */
  updatedAt: string;
  /** `updated_at` as epoch milliseconds, the primary key for ordering events of one order. */
  updatedAtMs: number;
  status: OrderStatus;
  requiresSignature: boolean | null;
  /** Display name of the shipping method (`shipping_method.name`, else `ship_method`). */
  shippingMethod: string | null;
  /** The first line items, capped so a huge order stays small; `lineItemCount` has the full count. */
  lineItems: LineItem[];
  lineItemCount: number;
  consumer: Consumer;
  shippingAddress: Address;
  tracking: Tracking;
  /** Whiplash `event_name`, or a synthetic name such as `backfill` for API listings. */
  eventName: string;
  source: OrderEventSource;
}

export type OrderEventSource = 'webhook' | 'backfill' | 'reconcile';

/** The Whiplash store an order came from: the merchant account plus its sales channel. */
export interface StoreRef {
  /** Whiplash `customer_id` (the merchant account, not the consumer). */
  whiplashCustomerId: number | null;
  shopId: number | null;
  shopDomain: string | null;
  provider: string | null;
  /** Stable key for this store, e.g. `4101:311`; used to tell stores apart. */
  key: string;
  /** Human label shown in the widget, e.g. the shop domain. */
  label: string;
}

export interface OrderStatus {
  code: number;
  /** Whiplash `status_name`, or the name from the status table when the payload has none. */
  name: string;
}

export interface LineItem {
  sku: string | null;
  quantity: number;
}

export interface Consumer {
  name: string | null;
  /** Trimmed and lower-cased. */
  email: string;
  /** SHA-256 of `email`, lowercase hex. Used in workflow ids and search attributes instead of the email. */
  emailHash: string;
  phone: string | null;
}

export interface Address {
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  /** ISO 3166-1 alpha-2 when Whiplash gave one, else the country as sent (V1 payloads send full names). */
  country: string | null;
}

export interface Tracking {
  numbers: string[];
  links: string[];
}
