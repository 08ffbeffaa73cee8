import type { Address, OrderEvent } from '../src/domain/order-event';
import { statusRank } from '../src/domain/order-status';
import { WIDGET_DATA_KEY, newestOrders, toWidgetAddress, toWidgetOrder, type WidgetOrder } from '../src/domain/widget';
import type { StoredWidgetData } from '../src/domain/stored-widget';
import type { CustomerProfile, CustomerWorkflowInput, CustomerWorkflowState, SyncState } from './definitions';

const EMPTY_ADDRESS: Address = { address1: null, address2: null, city: null, state: null, zip: null, country: null };

/** Returns whether widget entry `a` is a newer state of the order than `b` (same rule as the order workflow). */
function isNewer(a: WidgetOrder, b: WidgetOrder): boolean {
  if (a._updated_at_ms !== b._updated_at_ms) return a._updated_at_ms > b._updated_at_ms;
  return statusRank(a._status_code) > statusRank(b._status_code);
}

/**
 * The merged view of every order of one consumer, and the profile shown next to them. Signal handlers call
 * `upsert` and `remove`; the main loop writes `toDataBlob()` to Gorgias whenever `dirty` is set.
 */
export class CustomerState {
  gorgiasCustomerId: number | null;
  seeded: boolean;
  orders: Map<number, WidgetOrder>;
  foreignData: Record<string, unknown>;
  profile: CustomerProfile;
  writtenProfile: { name: string | null; phone: string | null } | null;
  lastVersion: string | null;
  removedOrders: Record<string, number>;
  dirty: boolean;
  syncState: SyncState;
  syncError: string | null;
  writes: number;
  subscribers: Set<string>;

  constructor(input: CustomerWorkflowInput) {
    const state = input.state;
    this.gorgiasCustomerId = state?.gorgiasCustomerId ?? null;
    this.seeded = state?.seeded ?? false;
    this.orders = new Map((state?.orders ?? []).map((order) => [order.whiplash_order_id, order]));
    this.foreignData = state?.foreignData ?? {};
    this.profile = state?.profile ?? {
      name: null,
      email: input.email,
      phone: null,
      address: EMPTY_ADDRESS,
      updatedAtMs: 0,
    };
    this.writtenProfile = state?.writtenProfile ?? null;
    this.lastVersion = state?.lastVersion ?? null;
    this.removedOrders = state?.removedOrders ?? {};
    this.dirty = state?.dirty ?? false;
    this.syncState = state?.syncState ?? 'pending';
    this.syncError = state?.syncError ?? null;
    this.writes = state?.writes ?? 0;
    this.subscribers = new Set(state?.subscribers ?? []);
  }

  /** Adds or replaces one order, unless this customer already has a newer state of it. */
  upsert(event: OrderEvent, orderWorkflowId: string): boolean {
    const removedAt = this.removedOrders[event.orderId];
    if (removedAt !== undefined && removedAt >= event.updatedAtMs) return false;
    const incoming = toWidgetOrder(event);
    const current = this.orders.get(event.orderId);
    if (current && !isNewer(incoming, current)) return false;

    delete this.removedOrders[event.orderId];
    this.orders.set(event.orderId, incoming);
    this.updateProfile(event);
    this.subscribers.add(orderWorkflowId);
    this.dirty = true;
    return true;
  }

  /** Removes an order that moved to another email, unless the stored state is newer than the move. */
  remove(orderId: number, updatedAtMs: number): boolean {
    this.removedOrders[orderId] = Math.max(this.removedOrders[orderId] ?? 0, updatedAtMs);
    const current = this.orders.get(orderId);
    if (!current || current._updated_at_ms > updatedAtMs) return false;
    this.orders.delete(orderId);
    this.dirty = true;
    return true;
  }

  /**
   * Takes the newest name, phone and address by event time. A null field means "unknown" and keeps the
   * value already known, except that a new first address line replaces the whole address, so a stale
   * second line or zip of the old address never mixes with the new one.
   */
  private updateProfile(event: OrderEvent): void {
    if (event.updatedAtMs < this.profile.updatedAtMs) return;
    const next = event.shippingAddress;
    const moved = next.address1 !== null && next.address1 !== this.profile.address.address1;
    const base = moved ? EMPTY_ADDRESS : this.profile.address;
    const address = Object.fromEntries(
      Object.entries(base).map(([field, value]) => [field, next[field as keyof Address] ?? value]),
    ) as unknown as Address;
    this.profile = {
      name: event.consumer.name ?? this.profile.name,
      email: event.consumer.email,
      phone: event.consumer.phone ?? this.profile.phone,
      address,
      updatedAtMs: event.updatedAtMs,
    };
  }

  /**
   * Merges the blob stored in Gorgias into this state, so orders written by an earlier run are kept, and
   * remembers other integrations' keys so the next write keeps them.
   */
  // NOTE: other integrations' keys are read once per run, not before every write, because that keeps one Gorgias
  // call per event. A foreign write that lands between that read and our next write is overwritten.
  seed(stored: StoredWidgetData): void {
    for (const order of stored.orders) {
      const removedAt = this.removedOrders[order.whiplash_order_id];
      if (removedAt !== undefined && removedAt >= order._updated_at_ms) continue;
      const current = this.orders.get(order.whiplash_order_id);
      if (!current || isNewer(order, current)) this.orders.set(order.whiplash_order_id, order);
    }
    this.foreignData = stored.foreignData;
    this.seeded = true;
  }

  /**
   * Returns the name and phone the Gorgias profile should have, or null when it already has them. Unknown
   * (null) values never replace known ones.
   */
  wantedProfile(): { name: string | null; phone: string | null } | null {
    const written = this.writtenProfile ?? { name: null, phone: null };
    const wanted = { name: this.profile.name ?? written.name, phone: this.profile.phone ?? written.phone };
    const same = this.writtenProfile !== null && wanted.name === written.name && wanted.phone === written.phone;
    return same ? null : wanted;
  }

  /** Drops the orders the widget no longer lists, so the workflow state stays as small as the widget. */
  prune(maxOrders: number): void {
    const kept = new Set(newestOrders([...this.orders.values()], maxOrders).map((order) => order.whiplash_order_id));
    for (const orderId of this.orders.keys()) {
      if (!kept.has(orderId)) this.orders.delete(orderId);
    }
  }

  /** Returns a `version` later than every earlier write, so Gorgias never skips a newer write as stale. */
  nextVersion(nowMs: number): string {
    const last = this.lastVersion === null ? 0 : Date.parse(this.lastVersion);
    this.lastVersion = new Date(Math.max(nowMs, last + 1)).toISOString();
    return this.lastVersion;
  }

  /** Builds the whole data blob: other integrations' keys untouched, plus this product's key. */
  toDataBlob(maxOrders: number, syncedAt: string): Record<string, unknown> {
    return {
      ...this.foreignData,
      [WIDGET_DATA_KEY]: {
        customer: { name: this.profile.name, email: this.profile.email, phone: this.profile.phone },
        address: toWidgetAddress(this.profile.address),
        orders: newestOrders([...this.orders.values()], maxOrders),
        synced_at: syncedAt,
      },
    };
  }

  toState(): CustomerWorkflowState {
    return {
      gorgiasCustomerId: this.gorgiasCustomerId,
      seeded: this.seeded,
      orders: [...this.orders.values()],
      foreignData: this.foreignData,
      profile: this.profile,
      writtenProfile: this.writtenProfile,
      lastVersion: this.lastVersion,
      removedOrders: this.removedOrders,
      dirty: this.dirty,
      syncState: this.syncState,
      syncError: this.syncError,
      writes: this.writes,
      subscribers: [...this.subscribers],
    };
  }
}
