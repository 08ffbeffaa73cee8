import type { Config } from './config';
import { createGorgiasClient, type GorgiasClient } from './gorgias';
import type { GorgiasResponseInfo } from './gorgias/http';
import { createWhiplashClient, type WhiplashClient } from './whiplash/api-client';

/**
 * Creates the Gorgias client of the configured account (or the local emulator). The client starts at most
 * GORGIAS_REQUESTS_PER_20S requests in any 20 s, because Temporal limits only the rate of Gorgias activities and
 * one activity can make several requests.
 */
export function gorgiasClientFor(config: Config, onResponse?: (info: GorgiasResponseInfo) => void): GorgiasClient {
  return createGorgiasClient({
    baseUrl: config.gorgias.baseUrl,
    auth: config.gorgias.auth,
    requestBudget: { requests: config.gorgias.budgetPer20s, windowMs: 20_000 },
    onResponse,
  });
}

/**
 * Creates the Whiplash API client of the configured account (or the local emulator).
 *
 * NOTE: a refreshed access token lives only in this process. If Whiplash rotates refresh tokens (not
 * documented either way), the configured WHIPLASH_REFRESH_TOKEN stops working after the first refresh.
 */
export function whiplashClientFor(config: Config): WhiplashClient {
  return createWhiplashClient({
    baseUrl: config.whiplash.baseUrl,
    auth: config.whiplash.auth,
    requestsPerSecond: config.whiplash.requestsPerSecond,
  });
}
