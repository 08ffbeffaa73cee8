import type { RunningGorgiasEmulator } from '../src/emulators/gorgias';
import { WIDGET_DATA_KEY } from '../src/domain/widget';

interface Waiter {
  updatedAtMs: number;
  resolve: (visibleAt: number) => void;
}

/**
 * Watches the data blobs the Gorgias emulator stores and reports when an order's update became visible: the first
 * stored blob holding the order with an `updated_at` at least as new. Times are performance.now() values.
 */
export class WidgetWatch {
  private readonly newest = new Map<number, number>();
  private readonly waiters = new Map<number, Waiter[]>();
  private readonly unsubscribe: () => void;
  /** Stored blobs seen since the watch started. */
  writes = 0;

  constructor(emulator: RunningGorgiasEmulator) {
    this.unsubscribe = emulator.state.customers.onDataApplied((_customerId, data) => this.record(data));
  }

  /** Resolves with the time the order's update became visible; at once when it already is. */
  visible(orderId: number, updatedAtMs: number): Promise<number> {
    if ((this.newest.get(orderId) ?? -Infinity) >= updatedAtMs) return Promise.resolve(performance.now());
    return new Promise((resolve) => {
      const list = this.waiters.get(orderId) ?? [];
      list.push({ updatedAtMs, resolve });
      this.waiters.set(orderId, list);
    });
  }

  /** Resolves with true once every listed update is visible, or false when `timeoutMs` passes first. */
  async allVisible(updates: readonly { orderId: number; updatedAtMs: number }[], timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = Promise.all(updates.map((update) => this.visible(update.orderId, update.updatedAtMs))).then(
      () => true as const,
    );
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.unsubscribe();
    this.waiters.clear();
  }

  private record(data: Record<string, unknown>): void {
    this.writes++;
    const now = performance.now();
    const orders = (data[WIDGET_DATA_KEY] as { orders?: unknown } | undefined)?.orders;
    if (!Array.isArray(orders)) return;
    for (const entry of orders as { whiplash_order_id?: unknown; _updated_at_ms?: unknown }[]) {
      const { whiplash_order_id: orderId, _updated_at_ms: updatedAtMs } = entry;
      if (typeof orderId !== 'number' || typeof updatedAtMs !== 'number') continue;
      if ((this.newest.get(orderId) ?? -Infinity) < updatedAtMs) this.newest.set(orderId, updatedAtMs);
      const list = this.waiters.get(orderId);
      if (!list) continue;
      const pending = list.filter((waiter) => {
        if (waiter.updatedAtMs > updatedAtMs) return true;
        waiter.resolve(now);
        return false;
      });
      if (pending.length > 0) this.waiters.set(orderId, pending);
      else this.waiters.delete(orderId);
    }
  }
}
