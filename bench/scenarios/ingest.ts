import type { Client } from '@temporalio/client';
import type { OrderEvent } from '../../src/domain/order-event';
import { parseConfig } from '../../src/config';
import { orderWorkflowInput, sendOrderEvent } from '../../src/sync/send-order-event';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';
import { generateOrderSet, postWebhook, signedWebhook, STATUS_STEPS, withStatus } from '../orders';
import { mapConcurrently } from '../pool';
import { percentile } from '../stats';

export interface IngestSizes {
  requests: number;
  concurrency: number;
  /** Requests sent first and not measured, to warm connections and code paths. */
  warmup: number;
}

/** Throughput and latency of one way of getting order events into Temporal. */
export interface IngestFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests that did not succeed (webhook responses other than 202, or failed calls). */
  failed: number;
}

export interface IngestResult {
  webhook: IngestFigures;
  signalWithStart: IngestFigures;
}

/**
 * Accepted webhooks per second against a bare `signalWithStart` loop, both starting new order workflows on the
 * same server at the same concurrency. No worker polls either task queue, so only the path into Temporal counts.
 */
export async function measureIngest(
  webhookUrl: string,
  client: Client,
  bareTaskQueue: string,
  sizes: IngestSizes,
  tag: string,
): Promise<IngestResult> {
  // Requests are prepared before the clock starts: signed bodies for the webhook, parsed events for the loop.
  const loop = async <T>(label: string, prepare: (order: Order) => T, call: (item: T) => Promise<boolean>) => {
    const items = generateOrderSet({
      count: sizes.warmup + sizes.requests,
      consumers: 50,
      stores: 3,
      tag: `${tag}-${label}`,
    }).map((order) => prepare(withStatus(order, STATUS_STEPS[0], 0)));
    await mapConcurrently(items.slice(0, sizes.warmup), sizes.concurrency, call);
    return timed(items.slice(sizes.warmup), sizes.concurrency, call);
  };

  // The same workflow input the API builds with its default settings.
  const input = orderWorkflowInput(parseConfig({ TEMPORAL_GORGIAS_TASK_QUEUE: `${bareTaskQueue}-gorgias` }));
  const target = { client, taskQueue: bareTaskQueue, input };
  const signalWithStart = await loop('bare', parse, async (event) => {
    try {
      await sendOrderEvent(target, event);
      return true;
    } catch {
      return false;
    }
  });
  const webhook = await loop(
    'webhook',
    (order) => signedWebhook(order, 'order.created'),
    async (body) => (await postWebhook(webhookUrl, body)).status === 202,
  );
  return { webhook, signalWithStart };
}

type Order = Record<string, unknown>;

async function timed<T>(items: T[], concurrency: number, call: (item: T) => Promise<boolean>): Promise<IngestFigures> {
  const started = performance.now();
  const latencies: number[] = [];
  let failed = 0;
  await mapConcurrently(items, concurrency, async (item) => {
    const callStarted = performance.now();
    if (!(await call(item))) failed++;
    latencies.push(performance.now() - callStarted);
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: items.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed,
  };
}

// The bare loop sends the event the webhook would build from the same order.
function parse(order: Order): OrderEvent {
  const parsed = parseWebhookBody({ event_name: 'order.created', order });
  if (parsed.kind !== 'order') throw new Error(`generated order did not parse: ${parsed.kind}`);
  return parsed.event;
}
