import { once } from 'node:events';
import path from 'node:path';
import { OAUTH_RATE_LIMIT, type RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { startWhiplashEmulator } from '../../src/emulators/whiplash';
import type { Product } from '../environment';
import { spawnProjectScript } from '../processes';
import { generateOrderSet } from '../orders';
import type { WidgetWatch } from '../widget-watch';
import { checkFinalWidgets, gorgiasCalls, gorgiasStatusCount, updatesOf } from './shared';

export interface BackfillSizes {
  orders: number;
  consumers: number;
}

export interface BackfillResult {
  orders: number;
  consumers: number;
  seconds: number;
  calls: number;
  callsPerSecond: number;
  /** Calls per second as a share of the account's budget (80 per 20 s). */
  budgetShare: number;
  rateLimited: number;
  /** Requests the emulator saw before a 429's Retry-After had passed. */
  beforeRetryAfter: number;
  /** Time the budget needs at least for three calls per consumer (look-up, create, data write), in s. */
  minimumSeconds: number;
  missingOrders: number;
  duplicateCustomers: number;
}

const BUDGET_PER_SECOND = OAUTH_RATE_LIMIT.limit / OAUTH_RATE_LIMIT.windowSeconds;

/**
 * Runs `npm run backfill`'s command over generated orders listed from a Whiplash emulator, with the Gorgias
 * emulator enforcing an OAuth app's budget, and waits until every order is in its consumer's widget. The
 * product's worker must be set up with the same budget.
 */
export async function measureBackfill(
  product: Product,
  emulator: RunningGorgiasEmulator,
  watch: WidgetWatch,
  sizes: BackfillSizes,
  tag: string,
  logFile: string,
): Promise<BackfillResult> {
  const orders = generateOrderSet({ count: sizes.orders, consumers: sizes.consumers, stores: 3, tag });
  const whiplash = await startWhiplashEmulator({ orders });
  emulator.configure({ rateLimit: OAUTH_RATE_LIMIT });
  try {
    const callsBefore = gorgiasCalls(emulator);
    const limitedBefore = gorgiasStatusCount(emulator, 429);
    const earlyBefore = emulator.state.requestLog.getStats().requestsBeforeRetryAfter;
    const started = performance.now();
    await runBackfillCommand({ ...product.env, WHIPLASH_EMULATOR_PORT: String(whiplash.port) }, tag, logFile);
    const timeoutMs = ((sizes.consumers * 4) / BUDGET_PER_SECOND) * 1000 * 2 + 120_000;
    if (!(await watch.allVisible(updatesOf(orders), timeoutMs))) {
      throw new Error(`backfilled orders were not all visible within ${Math.round(timeoutMs / 1000)} s`);
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = gorgiasCalls(emulator) - callsBefore;
    const final = checkFinalWidgets(emulator, orders);
    const minimumCalls = sizes.consumers * 3;
    return {
      orders: orders.length,
      consumers: sizes.consumers,
      seconds,
      calls,
      callsPerSecond: calls / seconds,
      budgetShare: calls / seconds / BUDGET_PER_SECOND,
      rateLimited: gorgiasStatusCount(emulator, 429) - limitedBefore,
      beforeRetryAfter: emulator.state.requestLog.getStats().requestsBeforeRetryAfter - earlyBefore,
      minimumSeconds: Math.max(0, minimumCalls - OAUTH_RATE_LIMIT.limit) / BUDGET_PER_SECOND,
      missingOrders: final.missingOrders + final.staleOrders,
      duplicateCustomers: final.duplicateCustomers,
    };
  } finally {
    emulator.configure({ rateLimit: null });
    await whiplash.close();
  }
}

/** Runs the backfill command as a user would, over every order of the emulator, and fails unless it exits 0. */
async function runBackfillCommand(productEnv: Record<string, string>, tag: string, logFile: string): Promise<void> {
  const checkpoint = path.join(productEnv.DATA_DIR ?? '.', `backfill-${tag}.json`);
  const args = [
    '--since',
    '2020-01-01T00:00:00Z',
    '--until',
    '2030-01-01T00:00:00Z',
    '--restart',
    '--checkpoint',
    checkpoint,
  ];
  const child = spawnProjectScript('src/cli/backfill.ts', args, productEnv, logFile);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the backfill command exited with code ${code}; see ${logFile}`);
}
