import type { RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { generateOrderSet, postWebhook, signedWebhook, STATUS_STEPS, withStatus } from '../orders';
import { mapConcurrently, sleep } from '../pool';
import type { WidgetWatch } from '../widget-watch';
import { checkFinalWidgets, gorgiasCalls, updatesOf, type FinalCheck, type SyncTarget } from './shared';

export interface LostUpdatesSizes {
  events: number;
  consumers: number;
  stores: number;
  /** Webhooks in flight at once. */
  concurrency: number;
}

export interface LostUpdatesResult extends FinalCheck {
  events: number;
  /** Webhooks whose response status was not 2xx. */
  failedWebhooks: number;
  callsPerEvent: number;
}

const SETTLE_TIMEOUT_MS = 180_000;

// Gorgias is a remote API that applies data writes after its 202 (its docs say so, without a figure). These
// values are assumptions that give each call the latency of a distant API and each write a short delay.
export const REMOTE_GORGIAS = { latencyMs: 40, latencyJitterMs: 60, dataApplyDelayMs: 150 };

/**
 * Sends one new order per event, several orders per consumer from several stores, all at once, then reads every
 * consumer's final widget. For the product, the check waits until every order is visible or the timeout passes.
 */
export async function measureLostUpdates(
  target: SyncTarget,
  emulator: RunningGorgiasEmulator,
  watch: WidgetWatch,
  sizes: LostUpdatesSizes,
  tag: string,
): Promise<LostUpdatesResult> {
  const orders = generateOrderSet({ count: sizes.events, consumers: sizes.consumers, stores: sizes.stores, tag }).map(
    (order) => withStatus(order, STATUS_STEPS[0], 0),
  );
  const callsBefore = gorgiasCalls(emulator);
  const { dataApplyDelayMs, ...latency } = REMOTE_GORGIAS;
  emulator.configure({ faults: latency, dataApplyDelayMs });
  let results;
  try {
    results = await mapConcurrently(orders, sizes.concurrency, (order) =>
      postWebhook(target.webhookUrl, signedWebhook(order, 'order.created')),
    );
    if (target.kind === 'product') await watch.allVisible(updatesOf(orders), SETTLE_TIMEOUT_MS);
    await sleep(dataApplyDelayMs + 500);
  } finally {
    emulator.configure({ faults: { latencyMs: 0, latencyJitterMs: 0 }, dataApplyDelayMs: 0 });
  }
  return {
    events: orders.length,
    failedWebhooks: results.filter((result) => result.status < 200 || result.status > 299).length,
    callsPerEvent: (gorgiasCalls(emulator) - callsBefore) / orders.length,
    ...checkFinalWidgets(emulator, orders),
  };
}
