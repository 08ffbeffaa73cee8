import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { OrderEvent } from '../src/domain/order-event';
import type { WidgetOrder } from '../src/domain/widget';

/** Prefix of order workflow ids: `whiplash-order-<Whiplash order id>`. */
export const ORDER_WORKFLOW_ID_PREFIX = 'whiplash-order-';

/** Returns the id of the order workflow of one Whiplash order. */
export function orderWorkflowId(orderId: number): string {
  return `${ORDER_WORKFLOW_ID_PREFIX}${orderId}`;
}

/**
 * Returns the id of the customer workflow of one consumer in one Gorgias account. The email hash keeps the
 * email itself out of the id, because workflow ids are stored and shown unencrypted.
 */
export function customerWorkflowId(gorgiasAccount: string, emailHash: string): string {
  return `gorgias-customer-${gorgiasAccount}-${emailHash.slice(0, 32)}`;
}

/** Sync state shown in the `SyncState` search attribute. */
export type SyncState = 'pending' | 'synced' | 'retrying' | 'failed';

/** Durations and limits of the customer workflow, in milliseconds where they are durations. */
export interface CustomerSettings {
  /** Updates that arrive within this window after the first one are written together. */
  debounceWindowMs: number;
  /** The workflow completes after this long without events; a later event starts a new run. */
  idleTimeoutMs: number;
  /** The widget lists at most this many orders, newest first. */
  maxWidgetOrders: number;
  /** After this long inside one Gorgias call, the sync state shows `retrying`. */
  retryingAfterMs: number;
  /** Task queue of the rate-limited Gorgias activities. */
  gorgiasTaskQueue: string;
}

export interface OrderWorkflowInput {
  gorgiasAccount: string;
  /** After a terminal status the workflow waits this long for late events, then completes. */
  settlePeriodMs: number;
  customer: CustomerSettings;
  /** Carried across continue-as-new. */
  state?: OrderWorkflowState;
}

export interface OrderWorkflowState {
  latest: OrderEvent | null;
  /** The customer this order was last forwarded to; the email is kept to reach that customer after a change. */
  attachedCustomer: AttachedCustomer | null;
  syncState: SyncState;
  syncError: string | null;
  appliedEvents: number;
  ignoredEvents: number;
  pending: OrderEvent[];
}

export interface AttachedCustomer {
  workflowId: string;
  email: string;
  emailHash: string;
}

export interface CustomerWorkflowInput {
  gorgiasAccount: string;
  email: string;
  emailHash: string;
  settings: CustomerSettings;
  /** Carried across continue-as-new. */
  state?: CustomerWorkflowState;
}

export interface CustomerWorkflowState {
  gorgiasCustomerId: number | null;
  /** Set once this run read the blob already stored in Gorgias, so orders of earlier runs are kept. */
  seeded: boolean;
  orders: WidgetOrder[];
  /** Top-level keys of the customer's data blob that belong to other integrations; written back unchanged. */
  foreignData: Record<string, unknown>;
  profile: CustomerProfile;
  /** The name and phone last written to the Gorgias profile, to skip unchanged updates. */
  writtenProfile: { name: string | null; phone: string | null } | null;
  /** ISO timestamp of the last data write; every write sends a strictly later `version`. */
  lastVersion: string | null;
  /** Order ids removed from this customer, with the `updated_at` of the event that moved them away. */
  removedOrders: Record<string, number>;
  dirty: boolean;
  syncState: SyncState;
  syncError: string | null;
  writes: number;
  /** Order workflows to tell about the sync result. */
  subscribers: string[];
}

/** The consumer's newest name, phone and address, by event time. */
export interface CustomerProfile {
  name: string | null;
  email: string;
  phone: string | null;
  address: import('../src/domain/order-event').Address;
  /** `updatedAtMs` of the event each part came from. */
  updatedAtMs: number;
}

/** A Whiplash order event, sent by the webhook endpoint, backfills and reconciliation. */
export const orderEventSignal = defineSignal<[OrderEvent]>('orderEvent');

/** Asks a workflow to write its current state to Gorgias again, e.g. after fixing a failed sync. */
export const retrySyncSignal = defineSignal<[]>('retrySync');

/**
 * Adds or replaces one order in the customer's widget; sent by the order workflow. `resync` requests a write
 * even when the order is unchanged, e.g. after an operator's `retrySync`.
 */
export const upsertOrderSignal =
  defineSignal<[{ event: OrderEvent; orderWorkflowId: string; resync?: boolean }]>('upsertOrder');

/** Removes one order from the customer's widget, because the order now belongs to another email. */
export const removeOrderSignal = defineSignal<[{ orderId: number; updatedAtMs: number }]>('removeOrder');

/** Tells an order workflow how the customer workflow's last write went. */
export const syncResultSignal = defineSignal<[{ state: SyncState; error: string | null }]>('syncResult');

export const orderStateQuery = defineQuery<OrderWorkflowState>('orderState');
export const customerStateQuery = defineQuery<CustomerWorkflowState>('customerState');
