import type { Client } from '@temporalio/client';
import type { Product } from '../environment';
import { generateOrderSet, postWebhook, signedWebhook, STATUS_STEPS, withStatus } from '../orders';
import { mapConcurrently } from '../pool';
import type { WidgetWatch } from '../widget-watch';
import { updatesOf } from './shared';

export interface MemorySizes {
  orders: number;
  /** Webhooks in flight at once while the orders are sent. */
  concurrency: number;
}

export interface MemoryResult {
  orders: number;
  /** Order and customer workflows running on the worker's task queue at the end. */
  openWorkflows: number;
  maxCachedWorkflows: number | null;
  idleRssMb: number;
  peakRssMb: number;
  finalRssMb: number;
  seconds: number;
}

const MB = 1024 * 1024;
const SYNC_TIMEOUT_MS = 30 * 60_000;

/**
 * Opens one order workflow per order (two orders per consumer, so half as many customer workflows), waits until
 * every order is in Gorgias, and reads the worker process's peak resident set size. The product's worker must
 * have started just before, so its peak belongs to this run.
 */
export async function measureMemory(
  product: Product,
  client: Client,
  watch: WidgetWatch,
  sizes: MemorySizes,
  tag: string,
): Promise<MemoryResult> {
  const worker = product.worker;
  if (!worker) throw new Error('the memory run needs a product with a worker');
  const idleRssMb = worker.rssBytes() / MB;
  const orders = generateOrderSet({ count: sizes.orders, consumers: Math.ceil(sizes.orders / 2), stores: 3, tag }).map(
    (order) => withStatus(order, STATUS_STEPS[0], 0),
  );
  const started = performance.now();
  const results = await mapConcurrently(orders, sizes.concurrency, (order) =>
    postWebhook(product.webhookUrl, signedWebhook(order, 'order.created')),
  );
  const rejected = results.filter((result) => result.status !== 202).length;
  if (rejected > 0) throw new Error(`${rejected} webhooks were not accepted`);
  if (!(await watch.allVisible(updatesOf(orders), SYNC_TIMEOUT_MS))) {
    throw new Error(`orders were not all in Gorgias within ${SYNC_TIMEOUT_MS / 60_000} min`);
  }
  const seconds = (performance.now() - started) / 1000;
  const { count } = await client.workflow.count(`TaskQueue = '${product.taskQueue}' AND ExecutionStatus = 'Running'`);
  return {
    orders: orders.length,
    openWorkflows: count,
    maxCachedWorkflows: product.settings.maxCachedWorkflows ?? null,
    idleRssMb,
    peakRssMb: worker.peakRssBytes() / MB,
    finalRssMb: worker.rssBytes() / MB,
    seconds,
  };
}
