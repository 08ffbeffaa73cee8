import { ApplicationFailure } from '@temporalio/activity';
import { GorgiasApiError, GorgiasNetworkError } from '../src/gorgias';
import { GorgiasFailureType } from './gorgias-failure-types';

const DEFAULT_RATE_LIMIT_DELAY_MS = 1_000;

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
  const type = error.status === 301 ? GorgiasFailureType.customerMerged : GorgiasFailureType.requestRejected;
  return ApplicationFailure.create({ type, message: error.message, details, nonRetryable: true });
}

/** Runs one Gorgias call and converts its error, so every activity classifies failures the same way. */
export async function callGorgias<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGorgiasFailure(error);
  }
}
