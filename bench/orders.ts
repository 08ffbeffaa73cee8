import { statusName } from '../src/domain/order-status';
import { formatWhiplashTimestamp, generateWhiplashOrders } from '../src/emulators/whiplash';
import { signWhiplashBody } from '../src/whiplash/signature';

/** A generated Whiplash order, as the API lists it. */
export type WhiplashOrder = Record<string, unknown>;

/** The key the benchmark's API processes and the baseline verify webhooks with. */
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret';

/** Statuses an order passes through in the benchmark, in order: Processing, Printed, Packed, Label Purchased. */
export const STATUS_STEPS = [100, 120, 160, 250] as const;

// Each run gets its own block of order ids, so no run reaches a workflow of an earlier one.
const IDS_PER_BLOCK = 1_000_000;
let nextBlock = 1;

export interface OrderSetOptions {
  count: number;
  consumers: number;
  stores: number;
  /** Marks the emails of this set, so that sets never share a Gorgias customer. */
  tag: string;
  seed?: number;
}

/**
 * Generates fixture-shaped orders with fresh ids and emails unique to `tag`. Order i belongs to consumer
 * `(i mod consumers) + 1`. Statuses and times are the generator's; `withStatus` sets them.
 */
export function generateOrderSet(options: OrderSetOptions): WhiplashOrder[] {
  const firstId = 10_000_000 + IDS_PER_BLOCK * nextBlock++;
  return generateWhiplashOrders({
    count: options.count,
    consumers: options.consumers,
    stores: options.stores,
    seed: options.seed ?? 7,
    firstId,
  }).map((order) => {
    const [local, domain] = String(order.email).split('@');
    return { ...order, email: `${local}+${options.tag}@${domain}` };
  });
}

/** Returns a copy of the order at `status`, updated `step` seconds after its first event. */
export function withStatus(order: WhiplashOrder, status: number, step: number): WhiplashOrder {
  const base = Date.parse('2026-11-02T09:00:00-05:00');
  return {
    ...order,
    status,
    status_name: statusName(status),
    updated_at: formatWhiplashTimestamp(base + step * 1000),
  };
}

/** `updated_at` of an order in epoch ms, as the product and the widget compare it. */
export function updatedAtMs(order: WhiplashOrder): number {
  return Date.parse(String(order.updated_at));
}

export function orderIdOf(order: WhiplashOrder): number {
  return Number(order.id);
}

export function emailOf(order: WhiplashOrder): string {
  return String(order.email).trim().toLowerCase();
}

/** A signed webhook request for one order. */
export interface SignedWebhook {
  body: string;
  signature: string;
}

export function signedWebhook(order: WhiplashOrder, eventName = 'order.status_changed'): SignedWebhook {
  const body = JSON.stringify({ event_name: eventName, order });
  return { body, signature: signWhiplashBody(body, BENCH_WEBHOOK_SECRET) };
}

/** The result of posting one webhook. */
export interface PostResult {
  status: number;
  /** performance.now() when the request started and when the response ended. */
  startedAt: number;
  endedAt: number;
}

/** Posts a signed webhook to `url` and reads the whole response. Network errors count as status 0. */
export async function postWebhook(url: string, webhook: SignedWebhook): Promise<PostResult> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-whiplash-signature': webhook.signature },
      body: webhook.body,
    });
    await response.arrayBuffer();
    return { status: response.status, startedAt, endedAt: performance.now() };
  } catch {
    return { status: 0, startedAt, endedAt: performance.now() };
  }
}
