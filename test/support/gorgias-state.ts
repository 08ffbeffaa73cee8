import assert from 'node:assert/strict';
import type { EmulatorStats, RequestLogEntry } from '../../src/emulators/gorgias';
import { WIDGET_DATA_KEY, type WidgetData } from '../../src/domain/widget';
import type { Stack } from './stack';

/** Reads the widget data of the one Gorgias customer with this email, failing if there is not exactly one. */
export async function widgetOf(stack: Stack, email: string): Promise<{ customerId: number; widget: WidgetData }> {
  const customers = await stack.gorgias.listCustomersByEmail(email);
  assert.equal(customers.length, 1, `expected one Gorgias customer for the email, found ${customers.length}`);
  const customer = await stack.gorgias.getCustomer(customers[0]!.id);
  const widget = (customer.data as Record<string, unknown> | null)?.[WIDGET_DATA_KEY] as WidgetData | undefined;
  assert.ok(widget, 'the customer has no widget data yet');
  return { customerId: customer.id, widget };
}

/** Empties the emulator's request log, so a test counts only its own requests. */
export async function clearRequestLog(stack: Stack): Promise<void> {
  await fetch(`${stack.emulator.url}/_emulator/requests`, { method: 'DELETE' });
}

/** Returns the emulator's request log: route template and status of each `/api` request. */
export async function requestLog(stack: Stack): Promise<RequestLogEntry[]> {
  const response = await fetch(`${stack.emulator.url}/_emulator/requests`);
  return ((await response.json()) as { requests: RequestLogEntry[] }).requests;
}

/** Counts the accepted data writes in the request log. */
export async function countDataWrites(stack: Stack): Promise<number> {
  const entries = await requestLog(stack);
  return entries.filter((entry) => entry.method === 'PUT' && entry.path.endsWith('/data') && entry.status === 202)
    .length;
}

export async function emulatorStats(stack: Stack): Promise<EmulatorStats> {
  const response = await fetch(`${stack.emulator.url}/_emulator/stats`);
  return (await response.json()) as EmulatorStats;
}
