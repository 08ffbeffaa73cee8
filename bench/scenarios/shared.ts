import type { RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { readStoredWidgetData } from '../../src/domain/stored-widget';
import { emailOf, orderIdOf, updatedAtMs, type WhiplashOrder } from '../orders';

/** One of the two implementations under test, reached through its webhook endpoint. */
export interface SyncTarget {
  kind: 'product' | 'baseline';
  webhookUrl: string;
}

/** Counts the Gorgias requests the emulator has handled so far, 429s included. */
export function gorgiasCalls(emulator: RunningGorgiasEmulator): number {
  return emulator.state.requestLog.getStats().totalRequests;
}

export function gorgiasStatusCount(emulator: RunningGorgiasEmulator, status: number): number {
  return emulator.state.requestLog.getStats().countsByStatus[String(status)] ?? 0;
}

/** Result of comparing the emulator's final widgets with a set of expected order updates. */
export interface FinalCheck {
  /** Expected orders absent from their consumer's widget. */
  missingOrders: number;
  /** Orders present but with an older update than the newest one sent. */
  staleOrders: number;
  /** Extra Gorgias customers for an email beyond the first. */
  duplicateCustomers: number;
}

/**
 * Compares the widgets stored in the emulator with the newest version of each order, per consumer email. The
 * oldest customer of an email is the one read, as the product does.
 */
export function checkFinalWidgets(emulator: RunningGorgiasEmulator, newest: readonly WhiplashOrder[]): FinalCheck {
  const byEmail = new Map<string, WhiplashOrder[]>();
  for (const order of newest) {
    const list = byEmail.get(emailOf(order)) ?? [];
    list.push(order);
    byEmail.set(emailOf(order), list);
  }
  const result: FinalCheck = { missingOrders: 0, staleOrders: 0, duplicateCustomers: 0 };
  for (const [email, orders] of byEmail) {
    const customers = emulator.state.customers.list({ email }, 'asc');
    result.duplicateCustomers += Math.max(0, customers.length - 1);
    const stored = new Map(
      readStoredWidgetData(customers[0]?.data).orders.map((order) => [order.whiplash_order_id, order._updated_at_ms]),
    );
    for (const order of orders) {
      const storedUpdate = stored.get(orderIdOf(order));
      if (storedUpdate === undefined) result.missingOrders++;
      else if (storedUpdate < updatedAtMs(order)) result.staleOrders++;
    }
  }
  return result;
}

export function updatesOf(orders: readonly WhiplashOrder[]): { orderId: number; updatedAtMs: number }[] {
  return orders.map((order) => ({ orderId: orderIdOf(order), updatedAtMs: updatedAtMs(order) }));
}
