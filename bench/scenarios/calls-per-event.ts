import type { RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { generateOrderSet, postWebhook, signedWebhook, STATUS_STEPS, withStatus, type WhiplashOrder } from '../orders';
import { mapConcurrently, sleep } from '../pool';
import type { WidgetWatch } from '../widget-watch';
import { checkFinalWidgets, gorgiasCalls, updatesOf, type SyncTarget } from './shared';

export interface CallsPerEventSizes {
  /** Consumers with one known order each; each order then steps through the remaining statuses. */
  steadyConsumers: number;
  /** Consumers whose orders all change status at once. */
  burstConsumers: number;
  /** Orders per burst consumer, spread over the stores. */
  burstOrders: number;
}

export interface CallsPerEventResult {
  steadyEvents: number;
  steadyCallsPerEvent: number;
  burstEvents: number;
  burstCallsPerEvent: number;
  /** Order updates of the bursts missing or stale in the final widgets. */
  burstLostUpdates: number;
}

// Long enough for a debounced write to land after the last update became visible.
const QUIET_MS = 500;
const VISIBLE_TIMEOUT_MS = 120_000;

/**
 * Gorgias calls per order event, with the customer already known: one status change at a time (steady), then
 * every order of a consumer changing at once (burst). Only calls made after the consumers were set up count.
 */
export async function measureCallsPerEvent(
  target: SyncTarget,
  emulator: RunningGorgiasEmulator,
  watch: WidgetWatch,
  sizes: CallsPerEventSizes,
  tag: string,
): Promise<CallsPerEventResult> {
  const send = sender(target, watch);

  const steady = generateOrderSet({
    count: sizes.steadyConsumers,
    consumers: sizes.steadyConsumers,
    stores: 3,
    tag: `${tag}-s`,
  });
  await Promise.all(steady.map((order) => send([withStatus(order, STATUS_STEPS[0], 0)])));
  await sleep(QUIET_MS);
  const steadyStart = gorgiasCalls(emulator);
  let steadyEvents = 0;
  for (let step = 1; step < STATUS_STEPS.length; step++) {
    for (const order of steady) {
      await send([withStatus(order, STATUS_STEPS[step]!, step)]);
      steadyEvents++;
    }
  }
  await sleep(QUIET_MS);
  const steadyCalls = gorgiasCalls(emulator) - steadyStart;

  const burst = generateOrderSet({
    count: sizes.burstConsumers * sizes.burstOrders,
    consumers: sizes.burstConsumers,
    stores: 3,
    tag: `${tag}-b`,
  });
  const byConsumer = groupByEmail(burst);
  // Set-up: each consumer's orders arrive one after another, so even the baseline starts from complete widgets.
  await Promise.all(
    byConsumer.map(async (orders) => {
      for (const order of orders) await send([withStatus(order, STATUS_STEPS[0], 0)]);
    }),
  );
  await sleep(QUIET_MS);
  const burstStart = gorgiasCalls(emulator);
  const changed = burst.map((order) => withStatus(order, STATUS_STEPS[2], 60));
  await Promise.all(groupByEmail(changed).map((orders) => send(orders)));
  await sleep(QUIET_MS);
  const burstCalls = gorgiasCalls(emulator) - burstStart;
  const final = checkFinalWidgets(emulator, changed);

  return {
    steadyEvents,
    steadyCallsPerEvent: steadyCalls / steadyEvents,
    burstEvents: changed.length,
    burstCallsPerEvent: burstCalls / changed.length,
    burstLostUpdates: final.missingOrders + final.staleOrders,
  };
}

/**
 * Sends orders at once and waits until they are handled. The product's webhook returns before Gorgias is called,
 * so for the product the wait lasts until the emulator shows every update. The baseline is done when it responds.
 */
function sender(target: SyncTarget, watch: WidgetWatch) {
  return async (orders: WhiplashOrder[]) => {
    const results = await mapConcurrently(orders, orders.length, (order) =>
      postWebhook(target.webhookUrl, signedWebhook(order)),
    );
    const rejected = results.filter((result) => target.kind === 'product' && result.status !== 202);
    if (rejected.length > 0)
      throw new Error(
        `${rejected.length} webhooks were not accepted (first status ${rejected[0]!.status}); see the API log`,
      );
    if (target.kind === 'product' && !(await watch.allVisible(updatesOf(orders), VISIBLE_TIMEOUT_MS))) {
      throw new Error(`order updates were not visible in Gorgias within ${VISIBLE_TIMEOUT_MS / 1000} s`);
    }
  };
}

function groupByEmail(orders: readonly WhiplashOrder[]): WhiplashOrder[][] {
  const groups = new Map<string, WhiplashOrder[]>();
  for (const order of orders) {
    const email = String(order.email);
    groups.set(email, [...(groups.get(email) ?? []), order]);
  }
  return [...groups.values()];
}
