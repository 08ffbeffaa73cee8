import type {
  ChannelFields,
  CustomerFields,
  CustomerFilter,
  DataWriteResult,
  EmulatedChannel,
  EmulatedCustomer,
  WriteResult,
} from './types';

interface StoredCustomer {
  customer: EmulatedCustomer;
  createdAtMs: number;
  /** Version of the stored data in epoch microseconds, or null when no applied write carried a version. */
  dataVersionMicros: number | null;
}

const FIRST_CUSTOMER_ID = 1000;

/** Called each time a data blob is stored, with the customer id, the stored blob and the time in epoch ms. */
export type DataAppliedListener = (customerId: number, data: Record<string, unknown>, atMs: number) => void;

/**
 * The emulator's customers, in memory. Customer ids start at 1000 and increase. Data writes can be applied after
 * a delay, because Gorgias processes them after it has responded 202.
 */
export class CustomerStore {
  private readonly customers = new Map<number, StoredCustomer>();
  /** Deleted source id to the id it was merged into, read by `/data` writes to respond 301. */
  private readonly mergedInto = new Map<number, number>();
  private readonly pendingWrites = new Set<NodeJS.Timeout>();
  private readonly dataListeners = new Set<DataAppliedListener>();
  private nextCustomerId = FIRST_CUSTOMER_ID;
  private nextChannelId = 1;

  constructor(private readonly now: () => number) {}

  /** Lists matching customers ordered by creation time, ties broken by id. */
  list(filter: CustomerFilter, order: 'asc' | 'desc'): EmulatedCustomer[] {
    const matches = [...this.customers.values()].filter((stored) => matchesFilter(stored.customer, filter));
    matches.sort((a, b) => a.createdAtMs - b.createdAtMs || a.customer.id - b.customer.id);
    if (order === 'desc') {
      matches.reverse();
    }
    return matches.map((stored) => structuredClone(stored.customer));
  }

  get(id: number): EmulatedCustomer | undefined {
    const stored = this.customers.get(id);
    return stored && structuredClone(stored.customer);
  }

  /**
   * Creates a customer unless another customer already has the same primary email (exact match).
   * `allowDuplicateEmail` skips that check, to seed the duplicates that other sources such as inbound email or
   * shop integrations create in Gorgias.
   */
  create(fields: CustomerFields, options: { allowDuplicateEmail?: boolean } = {}): WriteResult {
    const ownerId = options.allowDuplicateEmail ? undefined : this.findEmailOwner(fields.email ?? null, null);
    if (ownerId !== undefined) {
      return { kind: 'email-taken', existingId: ownerId };
    }

    const nowMs = this.now();
    const timestamp = new Date(nowMs).toISOString();
    const customer: EmulatedCustomer = {
      id: this.nextCustomerId++,
      email: null,
      name: null,
      firstname: null,
      lastname: null,
      external_id: null,
      note: null,
      language: null,
      timezone: 'UTC',
      meta: null,
      channels: [],
      data: null,
      created_datetime: timestamp,
      updated_datetime: timestamp,
    };
    this.assignFields(customer, fields, nowMs);
    this.customers.set(customer.id, { customer, createdAtMs: nowMs, dataVersionMicros: null });
    return { kind: 'ok', customer: structuredClone(customer) };
  }

  /** Changes the given fields. When `channels` is given, it replaces the whole list. */
  update(id: number, fields: CustomerFields): WriteResult {
    const stored = this.customers.get(id);
    if (!stored) {
      return { kind: 'not-found', id };
    }
    const ownerId = this.findEmailOwner(fields.email ?? null, id);
    if (ownerId !== undefined) {
      return { kind: 'email-taken', existingId: ownerId };
    }

    this.assignFields(stored.customer, fields, this.now());
    return { kind: 'ok', customer: structuredClone(stored.customer) };
  }

  /**
   * Replaces the customer's data blob, now or after `delayMs`. A write whose version is older than the stored
   * version is skipped when it is applied. A write to a merged customer returns the id it was merged into.
   */
  writeData(id: number, data: Record<string, unknown>, versionMicros: number | null, delayMs: number): DataWriteResult {
    const targetId = this.mergedInto.get(id);
    if (targetId !== undefined) {
      return { kind: 'merged', targetId };
    }
    if (!this.customers.has(id)) {
      return { kind: 'not-found' };
    }

    const blob = structuredClone(data);
    if (delayMs <= 0) {
      this.applyData(id, blob, versionMicros);
      return { kind: 'accepted' };
    }
    const timer = setTimeout(() => {
      this.pendingWrites.delete(timer);
      this.applyData(id, blob, versionMicros);
    }, delayMs);
    timer.unref();
    this.pendingWrites.add(timer);
    return { kind: 'accepted' };
  }

  /**
   * Merges `sourceId` into `targetId`: applies `fields` to the target, adds the source's channels the target lacks,
   * gives the target the source's data when it has none, then deletes the source.
   */
  merge(sourceId: number, targetId: number, fields: CustomerFields): WriteResult {
    const source = this.customers.get(sourceId);
    const target = this.customers.get(targetId);
    if (!source) {
      return { kind: 'not-found', id: sourceId };
    }
    if (!target) {
      return { kind: 'not-found', id: targetId };
    }
    const ownerId = this.findEmailOwner(fields.email ?? null, targetId);
    if (ownerId !== undefined && ownerId !== sourceId) {
      return { kind: 'email-taken', existingId: ownerId };
    }

    const knownChannels = new Set(target.customer.channels.map(channelKey));
    const addedChannels = source.customer.channels.filter((channel) => !knownChannels.has(channelKey(channel)));
    target.customer.channels.push(...addedChannels);
    if (target.customer.data === null) {
      target.customer.data = source.customer.data;
      target.dataVersionMicros = source.dataVersionMicros;
    }
    this.customers.delete(sourceId);
    this.assignFields(target.customer, fields, this.now());
    this.recordMerge(sourceId, targetId);
    return { kind: 'ok', customer: structuredClone(target.customer) };
  }

  /**
   * Calls `listener` after each data write is stored (skipped writes excluded), e.g. to time when a write became
   * visible. Returns a function that removes the listener. The blob must not be changed by the listener.
   */
  onDataApplied(listener: DataAppliedListener): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** Deletes every customer and merge record and cancels data writes not yet applied. */
  reset(): void {
    this.cancelPendingWrites();
    this.customers.clear();
    this.mergedInto.clear();
    this.nextCustomerId = FIRST_CUSTOMER_ID;
    this.nextChannelId = 1;
  }

  /** Cancels data writes that are waiting for `dataApplyDelayMs`, so that no timer outlives the emulator. */
  cancelPendingWrites(): void {
    for (const timer of this.pendingWrites) {
      clearTimeout(timer);
    }
    this.pendingWrites.clear();
  }

  /** Points the source, and every customer merged into it before, at the target. */
  private recordMerge(sourceId: number, targetId: number): void {
    this.mergedInto.set(sourceId, targetId);
    for (const [mergedId, intoId] of this.mergedInto) {
      if (intoId === sourceId) {
        this.mergedInto.set(mergedId, targetId);
      }
    }
  }

  private applyData(id: number, data: Record<string, unknown>, versionMicros: number | null): void {
    // A customer merged away between the 202 and this point loses the write.
    const stored = this.customers.get(id);
    if (!stored) {
      return;
    }
    const storedVersion = stored.dataVersionMicros;
    if (versionMicros !== null && storedVersion !== null && versionMicros < storedVersion) {
      return;
    }

    stored.customer.data = data;
    stored.dataVersionMicros = versionMicros ?? storedVersion;
    const nowMs = this.now();
    stored.customer.updated_datetime = new Date(nowMs).toISOString();
    for (const listener of this.dataListeners) {
      listener(id, data, nowMs);
    }
  }

  private assignFields(customer: EmulatedCustomer, fields: CustomerFields, nowMs: number): void {
    const timestamp = new Date(nowMs).toISOString();
    const { channels, ...scalars } = fields;
    for (const [key, value] of Object.entries(scalars)) {
      if (value !== undefined) {
        Object.assign(customer, { [key]: value });
      }
    }
    if (channels) {
      customer.channels = channels.map((channel) => this.createChannel(channel, timestamp));
    }
    customer.updated_datetime = timestamp;
  }

  private createChannel(channel: ChannelFields, timestamp: string): EmulatedChannel {
    return {
      id: this.nextChannelId++,
      type: channel.type,
      address: channel.address,
      preferred: channel.preferred ?? false,
      created_datetime: timestamp,
    };
  }

  private findEmailOwner(email: string | null, exceptId: number | null): number | undefined {
    if (email === null) {
      return undefined;
    }
    for (const { customer } of this.customers.values()) {
      if (customer.email === email && customer.id !== exceptId) {
        return customer.id;
      }
    }
    return undefined;
  }
}

function matchesFilter(customer: EmulatedCustomer, filter: CustomerFilter): boolean {
  if (filter.email !== undefined && customer.email !== filter.email) {
    return false;
  }
  if (filter.externalId !== undefined && customer.external_id !== filter.externalId) {
    return false;
  }
  if (filter.channelType === undefined && filter.channelAddress === undefined) {
    return true;
  }
  return customer.channels.some(
    (channel) =>
      (filter.channelType === undefined || channel.type === filter.channelType) &&
      (filter.channelAddress === undefined || channel.address === filter.channelAddress),
  );
}

function channelKey(channel: EmulatedChannel): string {
  return `${channel.type}\u0000${channel.address}`;
}
