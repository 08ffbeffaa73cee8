import express from 'express';
import { toWidgetAddress, toWidgetOrder, newestOrders, WIDGET_DATA_KEY } from '../../src/domain/widget';
import { readStoredWidgetData } from '../../src/domain/stored-widget';
import type { OrderEvent } from '../../src/domain/order-event';
import { GorgiasApiError, type GorgiasClient, type GorgiasCustomer } from '../../src/gorgias';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';
import { verifyWhiplashSignature } from '../../src/whiplash/signature';

export interface BaselineOptions {
  gorgias: GorgiasClient;
  webhookSecret: string;
  maxWidgetOrders: number;
}

/**
 * Creates the naive sync a merchant would otherwise write, the benchmark's point of comparison. It is an Express
 * handler that finds or creates the Gorgias customer for each webhook. It then reads the data blob, merges the
 * order into it and writes the whole blob back, all before it responds. It has no queue, no single writer per
 * customer and no retries. It reuses the product's parsing and widget layout, so the two differ only in how they reach Gorgias.
 */
export function createBaselineApp(options: BaselineOptions): express.Express {
  const app = express();
  app.post('/webhooks/whiplash', express.raw({ type: () => true, limit: '10mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWhiplashSignature(raw, req.get('x-whiplash-signature'), [options.webhookSecret]);
    if (!check.ok) {
      res.status(401).json({ error: `signature check failed: ${check.reason}` });
      return;
    }
    let parsed;
    try {
      parsed = parseWebhookBody(JSON.parse(raw.toString('utf8')));
    } catch {
      res.status(400).json({ error: 'body is not JSON' });
      return;
    }
    if (parsed.kind === 'ignored') {
      res.status(200).json({ ignored: parsed.reason });
      return;
    }
    if (parsed.kind === 'invalid') {
      res.status(422).json({ issues: parsed.issues });
      return;
    }
    try {
      await syncOrder(options, parsed.event);
      res.status(200).json({ synced: parsed.event.orderId });
    } catch (error) {
      const status = error instanceof GorgiasApiError ? error.status : 0;
      res.status(502).json({ error: `Gorgias call failed (status ${status})` });
    }
  });
  return app;
}

/** Find or create, read, merge, write: three or four Gorgias calls per webhook. */
async function syncOrder(options: BaselineOptions, event: OrderEvent): Promise<void> {
  const { gorgias } = options;
  const customer = await findOrCreate(gorgias, event);
  const current = customer.data === undefined ? (await gorgias.getCustomer(customer.id)).data : customer.data;
  const stored = readStoredWidgetData(current);
  const orders = stored.orders.filter((order) => order.whiplash_order_id !== event.orderId);
  orders.push(toWidgetOrder(event));
  const now = new Date().toISOString();
  const data = {
    ...stored.foreignData,
    [WIDGET_DATA_KEY]: {
      customer: { name: event.consumer.name, email: event.consumer.email, phone: event.consumer.phone },
      address: toWidgetAddress(event.shippingAddress),
      orders: newestOrders(orders, options.maxWidgetOrders),
      synced_at: now,
    },
  };
  await gorgias.setCustomerData(customer.id, data, now);
}

async function findOrCreate(gorgias: GorgiasClient, event: OrderEvent): Promise<GorgiasCustomer> {
  const { email, name, phone } = event.consumer;
  const [existing] = await gorgias.listCustomersByEmail(email);
  if (existing) return existing;
  try {
    return await gorgias.createCustomer({ email, name, phone });
  } catch (error) {
    // Another webhook created the customer in between.
    if (!(error instanceof GorgiasApiError && error.status === 409)) throw error;
    const [winner] = await gorgias.listCustomersByEmail(email);
    if (!winner) throw error;
    return winner;
  }
}
