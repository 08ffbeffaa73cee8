import { RollingSecond } from './rate-limit';

/** One `/api` or `/oauth/token` request as logged by the emulator. Bodies and tokens are never kept. */
export interface WhiplashRequestLogEntry {
  method: string;
  /** Route template such as `/api/v2/orders/:id`, or the raw path when no route matches. */
  path: string;
  status: number;
  /** ISO 8601 time the response finished, from the emulator clock. */
  at: string;
}

/** Counters over all logged requests since the last reset. */
export interface WhiplashEmulatorStats {
  /** Requests to `/api` and to `/oauth/token`. */
  totalRequests: number;
  /** Response count by status code, e.g. `{ "200": 12, "429": 3 }`. */
  countsByStatus: Record<string, number>;
  /** `/api` requests rejected with 429 by the rate limit. */
  rateLimitedRequests: number;
  /**
   * Highest number of `/api` requests that arrived within one rolling second, rejected ones included. It shows
   * whether a client kept to its pace, and it is counted whether or not the rate limit is on.
   */
  maxRequestsInOneSecond: number;
  /** Access tokens issued by `POST /oauth/token`. */
  tokenRefreshes: number;
}

/** Maximum number of log entries. The oldest are dropped first, and the counters still count them. */
export const MAX_LOGGED_REQUESTS = 100_000;

/** Log and counters of requests, read through `/_emulator/requests` and `/_emulator/stats`. */
export class RequestLog {
  private entries: WhiplashRequestLogEntry[] = [];
  private stats: WhiplashEmulatorStats = emptyStats();
  private readonly arrivals: RollingSecond;

  constructor(private readonly now: () => number) {
    this.arrivals = new RollingSecond(now);
  }

  /** Counts an `/api` request as it arrives, before the rate limit decides on it. */
  recordApiArrival(): void {
    this.stats.maxRequestsInOneSecond = Math.max(this.stats.maxRequestsInOneSecond, this.arrivals.record());
  }

  recordRateLimited(): void {
    this.stats.rateLimitedRequests += 1;
  }

  recordTokenRefresh(): void {
    this.stats.tokenRefreshes += 1;
  }

  /** Logs a finished request and counts its status. */
  recordResponse(method: string, path: string, status: number): void {
    this.entries.push({ method, path, status, at: new Date(this.now()).toISOString() });
    if (this.entries.length > MAX_LOGGED_REQUESTS) {
      this.entries.shift();
    }

    this.stats.totalRequests += 1;
    const key = String(status);
    this.stats.countsByStatus[key] = (this.stats.countsByStatus[key] ?? 0) + 1;
  }

  listEntries(): WhiplashRequestLogEntry[] {
    return [...this.entries];
  }

  getStats(): WhiplashEmulatorStats {
    return structuredClone(this.stats);
  }

  /** Empties the log and zeroes the counters. */
  reset(): void {
    this.entries = [];
    this.stats = emptyStats();
    this.arrivals.clear();
  }
}

function emptyStats(): WhiplashEmulatorStats {
  return {
    totalRequests: 0,
    countsByStatus: {},
    rateLimitedRequests: 0,
    maxRequestsInOneSecond: 0,
    tokenRefreshes: 0,
  };
}
