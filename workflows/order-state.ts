import type { OrderEvent } from '../src/domain/order-event';
import { isTerminalStatus, statusRank } from '../src/domain/order-status';
import type { AttachedCustomer, OrderWorkflowState, SyncState } from './definitions';

/** Result of comparing an incoming event with the order's newest known state. */
export type EventVerdict = 'newer' | 'duplicate' | 'stale';

/**
 * Compares two events of one order: the later `updated_at` wins, and on equal timestamps the status further
 * along the Whiplash lifecycle wins. Equal on both counts means a duplicate delivery.
 */
export function compareEvents(incoming: OrderEvent, current: OrderEvent | null): EventVerdict {
  if (current === null) return 'newer';
  const byTime = incoming.updatedAtMs - current.updatedAtMs;
  const byRank = statusRank(incoming.status.code) - statusRank(current.status.code);
  const order = byTime !== 0 ? byTime : byRank;
  if (order > 0) return 'newer';
  return order === 0 ? 'duplicate' : 'stale';
}

/** The order workflow's state. Signal handlers only queue events; the main loop applies them. */
export class OrderState {
  latest: OrderEvent | null;
  attachedCustomer: AttachedCustomer | null;
  syncState: SyncState;
  syncError: string | null;
  appliedEvents: number;
  ignoredEvents: number;
  pending: OrderEvent[];
  resendRequested = false;

  constructor(state?: OrderWorkflowState) {
    this.latest = state?.latest ?? null;
    this.attachedCustomer = state?.attachedCustomer ?? null;
    this.syncState = state?.syncState ?? 'pending';
    this.syncError = state?.syncError ?? null;
    this.appliedEvents = state?.appliedEvents ?? 0;
    this.ignoredEvents = state?.ignoredEvents ?? 0;
    this.pending = [...(state?.pending ?? [])];
  }

  get hasWork(): boolean {
    return this.pending.length > 0 || this.resendRequested;
  }

  get isTerminal(): boolean {
    return this.latest !== null && isTerminalStatus(this.latest.status.code);
  }

  /**
   * Applies the queued events and returns whether the newest state changed. Duplicate and stale events are
   * counted and returned so the caller can log them.
   */
  applyPending(): { changed: boolean; ignored: { event: OrderEvent; verdict: EventVerdict }[] } {
    const ignored: { event: OrderEvent; verdict: EventVerdict }[] = [];
    let changed = false;
    for (const event of this.pending.splice(0)) {
      const verdict = compareEvents(event, this.latest);
      if (verdict === 'newer') {
        this.latest = event;
        this.appliedEvents++;
        changed = true;
      } else {
        this.ignoredEvents++;
        ignored.push({ event, verdict });
      }
    }
    return { changed, ignored };
  }

  toState(): OrderWorkflowState {
    return {
      latest: this.latest,
      attachedCustomer: this.attachedCustomer,
      syncState: this.syncState,
      syncError: this.syncError,
      appliedEvents: this.appliedEvents,
      ignoredEvents: this.ignoredEvents,
      pending: [...this.pending],
    };
  }
}
