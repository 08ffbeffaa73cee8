import { z } from 'zod';
import { WIDGET_DATA_KEY, type WidgetOrder } from './widget';

const nullableText = z.string().nullable().catch(null);

const addressSchema = z.object({
  address1: nullableText,
  address2: nullableText,
  city: nullableText,
  state: nullableText,
  zip: nullableText,
  country: nullableText,
});

const storedOrderSchema = z.object({
  whiplash_order_id: z.number().int(),
  store: z.string(),
  order_number: z.string(),
  date_created: nullableText,
  status: z.string(),
  requires_signature: z.boolean().nullable().catch(null),
  shipping_method: nullableText,
  products: z.array(z.object({ sku: nullableText, quantity: z.number() })).catch([]),
  more_products: nullableText,
  ship_to: addressSchema,
  tracking_numbers: z.array(z.string()).catch([]),
  tracking_links: z.array(z.string()).catch([]),
  updated_at: z.string(),
  _store_key: z.string(),
  _status_code: z.number().int(),
  _updated_at_ms: z.number(),
}) satisfies z.ZodType<WidgetOrder>;

/** The part of a customer's stored data blob that this product reads back. */
export interface StoredWidgetData {
  /** Orders found under this product's key; entries that do not match the widget shape are dropped. */
  orders: WidgetOrder[];
  /** Number of stored order entries that were dropped as unreadable. */
  droppedOrders: number;
  /** Every other top-level key, to be written back unchanged. */
  foreignData: Record<string, unknown>;
}

/**
 * Splits a Gorgias customer's `data` blob into this product's orders and other integrations' keys.
 * Tolerant by design: the blob is shared, and anything may have been written there.
 */
export function readStoredWidgetData(blob: unknown): StoredWidgetData {
  if (blob === null || typeof blob !== 'object' || Array.isArray(blob)) {
    return { orders: [], droppedOrders: 0, foreignData: {} };
  }
  const { [WIDGET_DATA_KEY]: ours, ...foreignData } = blob as Record<string, unknown>;
  const storedOrders = (ours as { orders?: unknown } | undefined)?.orders;
  if (!Array.isArray(storedOrders)) {
    return { orders: [], droppedOrders: 0, foreignData };
  }
  const orders: WidgetOrder[] = [];
  for (const entry of storedOrders) {
    const parsed = storedOrderSchema.safeParse(entry);
    if (parsed.success) orders.push(parsed.data);
  }
  return { orders, droppedOrders: storedOrders.length - orders.length, foreignData };
}
