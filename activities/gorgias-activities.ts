import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { GorgiasClient, GorgiasCustomer } from '../src/gorgias';
import { GorgiasApiError } from '../src/gorgias';
import { readStoredWidgetData, type StoredWidgetData } from '../src/domain/stored-widget';
import { createGorgiasCaller, RetryAfterGate, toGorgiasFailure } from './gorgias-failure';

export interface FindOrCreateCustomerInput {
  /** Normalized (trimmed, lower-cased) email. */
  email: string;
  name: string | null;
  phone: string | null;
}

/** A Gorgias customer as the customer workflow needs it. */
export interface ResolvedGorgiasCustomer {
  customerId: number;
  created: boolean;
  /** The profile's current name and phone, to skip updates that change nothing. */
  name: string | null;
  phone: string | null;
  stored: StoredWidgetData;
}

export interface UpdateProfileInput {
  customerId: number;
  email: string;
  name: string | null;
  phone: string | null;
}

export interface WriteWidgetDataInput {
  customerId: number;
  /** The whole data blob: it replaces what Gorgias stores. */
  data: Record<string, unknown>;
  /** ISO timestamp; Gorgias skips writes older than the stored version. */
  version: string;
}

/**
 * Creates the activities that call Gorgias. Each one is safe to retry. All of them share one `RetryAfterGate`,
 * so after a 429 no call of this process reaches Gorgias before `Retry-After` has passed.
 */
export function createGorgiasActivities(gorgias: GorgiasClient, gate = new RetryAfterGate()) {
  const { call: callGorgias, callRaw } = createGorgiasCaller(gate);
  // A request is aborted when its activity is cancelled, e.g. when worker shutdown outlasts its grace time.
  const cancellable = () => ({ signal: Context.current().cancellationSignal });

  async function findByEmail(email: string): Promise<GorgiasCustomer | null> {
    const hits = await callGorgias(() => gorgias.listCustomersByEmail(email, cancellable()));
    if (hits.length > 1) {
      log.warn('Several Gorgias customers share one email; using the oldest', { count: hits.length });
    }
    // The lowest id is the oldest customer, a winner that every worker picks the same way.
    return hits.reduce<GorgiasCustomer | null>((oldest, hit) => (oldest && oldest.id < hit.id ? oldest : hit), null);
  }

  async function resolve(customer: GorgiasCustomer, created: boolean): Promise<ResolvedGorgiasCustomer> {
    // List results may leave out `data`; read the customer itself in that case.
    const full =
      customer.data === undefined ? await callGorgias(() => gorgias.getCustomer(customer.id, cancellable())) : customer;
    const stored = readStoredWidgetData(full.data);
    if (stored.droppedOrders > 0) {
      log.warn('Dropped unreadable orders from stored widget data', {
        customerId: customer.id,
        dropped: stored.droppedOrders,
      });
    }
    return { customerId: full.id, created, name: full.name ?? null, phone: phoneOf(full), stored };
  }

  return {
    /**
     * Finds the Gorgias customer with this primary email, or creates one. A 409 on create means another
     * writer created the customer in between, so the activity reads it again instead of failing.
     */
    async findOrCreateGorgiasCustomer(input: FindOrCreateCustomerInput): Promise<ResolvedGorgiasCustomer> {
      const existing = await findByEmail(input.email);
      if (existing) return resolve(existing, false);

      try {
        const created = await callRaw(() => gorgias.createCustomer(input, cancellable()));
        log.info('Created Gorgias customer', { customerId: created.id });
        return resolve(created, true);
      } catch (error) {
        if (!(error instanceof GorgiasApiError && error.status === 409)) throw toGorgiasFailure(error);
      }
      const winner = await findByEmail(input.email);
      if (winner) return resolve(winner, false);
      // Gorgias reports the email as taken but the look-up misses it, e.g. while its index catches up.
      throw ApplicationFailure.retryable(
        'Gorgias returned 409 for an email that the customer look-up does not find yet; retrying',
        'GorgiasCustomerConflict',
      );
    },

    /** Reads a customer by id, e.g. the one another customer was merged into. */
    async readGorgiasCustomer(customerId: number): Promise<ResolvedGorgiasCustomer> {
      return resolve(await callGorgias(() => gorgias.getCustomer(customerId, cancellable())), false);
    },

    /** Sets the profile's name and phone channel; reads the customer first and skips a write that changes nothing. */
    async updateGorgiasCustomerProfile(input: UpdateProfileInput): Promise<{ updated: boolean }> {
      const current = await callGorgias(() => gorgias.getCustomer(input.customerId, cancellable()));
      const nameChanged = input.name !== null && input.name !== current.name;
      const phoneMissing = input.phone !== null && !hasPhone(current, input.phone);
      if (!nameChanged && !phoneMissing) return { updated: false };

      await callGorgias(() =>
        gorgias.updateCustomer(
          input.customerId,
          {
            // The customer's own primary email stays: after a merge it may differ from the order's email.
            email: current.email ?? input.email,
            name: input.name ?? current.name ?? null,
            phone: phoneMissing ? input.phone : null,
            existingChannels: current.channels ?? [],
          },
          cancellable(),
        ),
      );
      log.info('Updated Gorgias customer profile', { customerId: input.customerId, nameChanged, phoneMissing });
      return { updated: true };
    },

    /** Replaces the customer's whole data blob with `data`. */
    async writeGorgiasWidgetData(input: WriteWidgetDataInput): Promise<void> {
      await callGorgias(() => gorgias.setCustomerData(input.customerId, input.data, input.version, cancellable()));
      log.info('Wrote Gorgias widget data', { customerId: input.customerId, version: input.version });
    },
  };
}

function phoneOf(customer: GorgiasCustomer): string | null {
  return customer.channels?.find((channel) => channel.type === 'phone')?.address ?? null;
}

function hasPhone(customer: GorgiasCustomer, phone: string): boolean {
  return (customer.channels ?? []).some((channel) => channel.type === 'phone' && channel.address === phone);
}
