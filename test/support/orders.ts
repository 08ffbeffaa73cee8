import { statusName } from '../../src/domain/order-status';
import type { OrderEvent } from '../../src/domain/order-event';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';
import { loadFixture } from './webhook';

type RawOrder = Record<string, unknown>;

const BASE = loadFixture<{ order: RawOrder }>('order_created_us_basic.webhook.json').order;

export interface OrderChanges {
  id: number;
  email: string;
  /** `updated_at` in minutes after 2026-03-02T10:00:00-05:00, so tests order events without timestamps. */
  minute?: number;
  /** `created_at` in the same minutes; 0 when absent. */
  createdMinute?: number;
  status?: number;
  name?: string;
  phone?: string | null;
  address1?: string;
  city?: string;
  customerId?: number;
  shopId?: number;
  shopDomain?: string;
  items?: { sku: string; quantity: number }[];
}

function timestamp(minute: number): string {
  const instant = new Date(Date.parse('2026-03-02T10:00:00.000-05:00') + minute * 60_000);
  return instant.toISOString().replace('Z', '+00:00');
}

/** Builds a Whiplash webhook body from the basic fixture with the given changes. */
export function orderWebhook(changes: OrderChanges, eventName = 'order.status_changed'): Record<string, unknown> {
  const status = changes.status ?? 100;
  const originator = { ...(BASE.originator as RawOrder) };
  if (changes.shopId !== undefined) originator.shop_id = changes.shopId;
  if (changes.shopDomain !== undefined) originator.shop_domain = changes.shopDomain;
  const order: RawOrder = {
    ...BASE,
    id: changes.id,
    humanize_id: String(changes.id),
    order_orig: `#T${changes.id}`,
    email: changes.email,
    status,
    status_name: statusName(status),
    created_at: timestamp(changes.createdMinute ?? 0),
    updated_at: timestamp(changes.minute ?? 0),
    shipping_name: changes.name ?? BASE.shipping_name,
    shipping_phone: changes.phone === undefined ? BASE.shipping_phone : changes.phone,
    shipping_address_1: changes.address1 ?? BASE.shipping_address_1,
    shipping_city: changes.city ?? BASE.shipping_city,
    customer_id: changes.customerId ?? BASE.customer_id,
    originator,
    order_items: (changes.items ?? [{ sku: 'NTO-BEANIE-GRY', quantity: 1 }]).map((item, index) => ({
      ...(BASE.order_items as RawOrder[])[0],
      id: changes.id * 100 + index,
      sku: item.sku,
      quantity: item.quantity,
    })),
  };
  return { event_name: eventName, order };
}

/** Parses a webhook body built by `orderWebhook` into its normalized event. */
export function orderEvent(changes: OrderChanges, eventName?: string): OrderEvent {
  const parsed = parseWebhookBody(orderWebhook(changes, eventName));
  if (parsed.kind !== 'order') throw new Error(`test order did not parse: ${JSON.stringify(parsed)}`);
  return parsed.event;
}
