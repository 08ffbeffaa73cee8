import { ApplicationFailure } from '@temporalio/activity';
import { GorgiasApiError, GorgiasNetworkError } from '../src/gorgias';
import { GorgiasFailureType } from './gorgias-failure-types';

const DEFAULT_RATE_LIMIT_DELAY_MS = 1_000;

/** Details attached to a `GorgiasCustomerMerged` failure. */
export interface CustomerMergedDetails {
  status: number;
  /** The customer the old one was merged into, read from the 301's `Location`, or null when it has none. */
  mergedIntoCustomerId: number | null;
}

/** Converts an error from the Gorgias client into the failure Temporal should see. */
export function toGorgiasFailure(error: unknown): unknown {
  if (error instanceof GorgiasNetworkError) {
    return ApplicationFailure.create({ type: GorgiasFailureType.unavailable, message: error.message, cause: error });
  }
  if (!(error instanceof GorgiasApiError)) {
    return error;
  }
  // The query string can hold the consumer's email (customer look-ups), so failures carry the bare path.
  const details = [{ status: error.status, method: error.method, path: error.path.split('?')[0] }];
  if (error.status === 429) {
    return ApplicationFailure.create({
      type: GorgiasFailureType.rateLimited,
      message: error.message,
      details,
      nextRetryDelay: error.retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS,
    });
  }
  if (error.status >= 500 || error.status === 408) {
    return ApplicationFailure.create({ type: GorgiasFailureType.unavailable, message: error.message, details });
  }
  if (error.status === 301) {
    const merged: CustomerMergedDetails = { status: 301, mergedIntoCustomerId: customerIdFromLocation(error.location) };
    return ApplicationFailure.create({
      type: GorgiasFailureType.customerMerged,
      message: error.message,
      details: [merged],
      nonRetryable: true,
    });
  }
  const bareCustomerPath = /^\/api\/customers\/\d+(\/data)?$/.test(details[0]!.path ?? '');
  if (error.status === 404 && bareCustomerPath) {
    return ApplicationFailure.create({
      type: GorgiasFailureType.customerNotFound,
      message: error.message,
      details,
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    type: GorgiasFailureType.requestRejected,
    message: error.message,
    details,
    nonRetryable: true,
  });
}

function customerIdFromLocation(location: string | null): number | null {
  const match = location === null ? null : /\/api\/customers\/(\d+)/.exec(location);
  return match ? Number(match[1]) : null;
}

/**
 * Sends this worker process's Gorgias requests one at a time, and none before the newest `Retry-After` has
 * passed. Gorgias counts requests per account, so after a 429 any request, not only the retried one, would be
 * rejected too. A request already in flight when a 429 arrives would also be too early, so none is in flight.
 * One request at a time still allows several per second, more than any account's budget of 2 to 4.
 */
export class RetryAfterGate {
  private openAtMs = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `request` after every earlier one has finished and the gate is open. */
  run<T>(request: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const delayMs = this.openAtMs - this.now();
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return request();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  closeFor(delayMs: number): void {
    this.openAtMs = Math.max(this.openAtMs, this.now() + delayMs);
  }
}

/** Runs Gorgias calls behind one gate; `call` converts errors into failures, `callRaw` leaves them as they are. */
export function createGorgiasCaller(gate: RetryAfterGate) {
  async function callRaw<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await gate.run(request);
    } catch (error) {
      if (error instanceof GorgiasApiError && error.status === 429) {
        gate.closeFor(error.retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS);
      }
      throw error;
    }
  }

  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await callRaw(request);
    } catch (error) {
      throw toGorgiasFailure(error);
    }
  }

  return { call, callRaw };
}
