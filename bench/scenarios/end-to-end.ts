import {
  generateOrderSet,
  orderIdOf,
  postWebhook,
  signedWebhook,
  STATUS_STEPS,
  updatedAtMs,
  withStatus,
} from '../orders';
import { sleep } from '../pool';
import { percentile } from '../stats';
import type { WidgetWatch } from '../widget-watch';
import { updatesOf } from './shared';

export interface EndToEndSizes {
  eventsPerSecond: number;
  durationSeconds: number;
}

export interface EndToEndResult {
  eventsPerSecond: number;
  events: number;
  /** From the webhook's request start to the emulator storing a blob with the update. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 of the events that create an order, half of them for a consumer not seen before. */
  newOrderP99Ms: number;
  /** p99 of the status changes of orders already in Gorgias. */
  statusChangeP99Ms: number;
  acceptP99Ms: number;
  /** Updates not visible when the wait ended, or webhooks not accepted. */
  missing: number;
}

const DRAIN_TIMEOUT_MS = 60_000;

/**
 * Sends webhooks at a steady rate, on a fixed schedule that does not wait for responses, and times each update
 * from the request's start until the Gorgias emulator stores it. Orders step through the statuses: all orders are
 * created first, then each takes its next step in the same order, so one order's events are seconds apart.
 */
export async function measureEndToEnd(
  webhookUrl: string,
  watch: WidgetWatch,
  sizes: EndToEndSizes,
  tag: string,
): Promise<EndToEndResult> {
  const total = Math.max(STATUS_STEPS.length, Math.round(sizes.eventsPerSecond * sizes.durationSeconds));
  const orderCount = Math.ceil(total / STATUS_STEPS.length);
  const orders = generateOrderSet({
    count: orderCount,
    consumers: Math.max(1, Math.ceil(orderCount / 2)),
    stores: 3,
    tag,
  });
  const events = STATUS_STEPS.flatMap((status, step) => orders.map((order) => withStatus(order, status, step))).slice(
    0,
    total,
  );

  const intervalMs = 1000 / sizes.eventsPerSecond;
  const visibleAt: (number | undefined)[] = [];
  const started = performance.now();
  const posts = await Promise.all(
    events.map(async (order, index) => {
      await sleep(Math.max(0, started + index * intervalMs - performance.now()));
      void watch.visible(orderIdOf(order), updatedAtMs(order)).then((at) => (visibleAt[index] = at));
      return postWebhook(webhookUrl, signedWebhook(order));
    }),
  );
  // The visibleAt entries fill in as updates appear; waiting for all of them bounds the run.
  await watch.allVisible(updatesOf(events.filter((_, index) => posts[index]!.status === 202)), DRAIN_TIMEOUT_MS);
  const latencyOf = (index: number) => {
    const at = visibleAt[index];
    return posts[index]!.status === 202 && at !== undefined ? [at - posts[index]!.startedAt] : [];
  };
  const latencies = posts.flatMap((_, index) => latencyOf(index));
  // The first orderCount events create the orders; the rest change the status of orders already synced.
  const created = posts.slice(0, orderCount).flatMap((_, index) => latencyOf(index));
  const changed = posts.slice(orderCount).flatMap((_, index) => latencyOf(orderCount + index));
  return {
    eventsPerSecond: sizes.eventsPerSecond,
    events: events.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    newOrderP99Ms: percentile(created, 0.99),
    statusChangeP99Ms: percentile(changed, 0.99),
    acceptP99Ms: percentile(
      posts.map((post) => post.endedAt - post.startedAt),
      0.99,
    ),
    missing: events.length - latencies.length,
  };
}
