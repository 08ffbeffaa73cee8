/**
 * Whiplash order status codes (Rydership API V2 order schema) with their names, their place in the order
 * lifecycle and whether an order usually stays there. No Node.js imports: workflow code uses this module.
 */
interface StatusInfo {
  name: string;
  /** Position in the lifecycle; on equal `updated_at` the event with the higher rank wins. */
  rank: number;
  /** The order is done with fulfilment; the order workflow starts its settle period. */
  terminal: boolean;
}

// The ranks follow the fulfilment flow: pre-release and holds, then picking and packing, then shipping,
// then after-sale. Codes are mostly in that order already; 30 (shipped outside Whiplash), 40 and 45
// (cancelled or closed) are low numbers for late states, so they get ranks next to Shipped.
const STATUSES: Readonly<Record<number, StatusInfo>> = {
  35: { name: 'Quote', rank: 10, terminal: false },
  50: { name: 'Unpaid', rank: 20, terminal: false },
  80: { name: 'Pre-Order', rank: 30, terminal: false },
  90: { name: 'Paused', rank: 40, terminal: false },
  95: { name: 'Insufficient Inventory', rank: 50, terminal: false },
  100: { name: 'Processing', rank: 100, terminal: false },
  120: { name: 'Printed', rank: 120, terminal: false },
  140: { name: 'Pending Pick Confirmation', rank: 140, terminal: false },
  150: { name: 'Picked', rank: 150, terminal: false },
  155: { name: 'Prepacking in Progress', rank: 155, terminal: false },
  160: { name: 'Packed', rank: 160, terminal: false },
  200: { name: 'Label Scheduled for Purchase', rank: 200, terminal: false },
  250: { name: 'Label Purchased', rank: 250, terminal: false },
  40: { name: 'Cancelled', rank: 290, terminal: true },
  45: { name: 'Closed by Originator', rank: 291, terminal: true },
  30: { name: 'Shipped Externally', rank: 300, terminal: true },
  300: { name: 'Shipped', rank: 301, terminal: true },
  325: { name: 'Picked Up', rank: 325, terminal: true },
  350: { name: 'Delivered', rank: 350, terminal: true },
  75: { name: 'Pending Return', rank: 360, terminal: false },
  77: { name: 'Return Verified', rank: 365, terminal: false },
  375: { name: 'Return Expired', rank: 375, terminal: true },
  380: { name: 'Replacement Cancelled', rank: 380, terminal: true },
  400: { name: 'Returned Undeliverable', rank: 400, terminal: true },
  410: { name: 'Replacement Requested', rank: 410, terminal: false },
  430: { name: 'Exchanged', rank: 430, terminal: true },
  450: { name: 'Refund Requested', rank: 450, terminal: false },
};

/** Returns the Whiplash name of a status code, or null for a code this table does not know. */
export function statusName(code: number): string | null {
  return STATUSES[code]?.name ?? null;
}

/** Returns the lifecycle rank of a status code; unknown codes rank by their number. */
export function statusRank(code: number): number {
  return STATUSES[code]?.rank ?? code;
}

/** Returns whether a status ends fulfilment, so the order workflow may settle and complete. */
export function isTerminalStatus(code: number): boolean {
  return STATUSES[code]?.terminal ?? false;
}
