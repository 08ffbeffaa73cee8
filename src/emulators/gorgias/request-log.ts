/** One `/api` request as logged by the emulator. Bodies are never kept. */
export interface RequestLogEntry {
  method: string;
  /** Route template such as `/api/customers/:id/data`, or the raw path when no route matches. */
  path: string;
  status: number;
  /** ISO 8601 time the response finished, from the emulator clock. */
  at: string;
}

/** Counters over all `/api` requests since the last reset. */
export interface EmulatorStats {
  totalRequests: number;
  /** Response count by status code, e.g. `{ "200": 12, "429": 3 }`. */
  countsByStatus: Record<string, number>;
  /** Highest rate-limit bucket level seen, in requests. It stays 0 while the rate limit is off. */
  maxBucketLevel: number;
  /** Requests that arrived before the time a previous 429's `Retry-After` allowed. */
  requestsBeforeRetryAfter: number;
}

/** Maximum number of log entries. The oldest are dropped first, and the counters still count them. */
export const MAX_LOGGED_REQUESTS = 100_000;

/** Log and counters of `/api` requests, read through `/_emulator/requests` and `/_emulator/stats`. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private stats: EmulatorStats = emptyStats();
  /** Earliest time in epoch ms at which any 429 so far allows a new request. */
  private retryNotBeforeMs = 0;

  constructor(private readonly now: () => number) {}

  /** Counts a request arriving earlier than a `Retry-After` allowed. Call once per request, before the decision. */
  recordArrival(): void {
    if (this.now() < this.retryNotBeforeMs) {
      this.stats.requestsBeforeRetryAfter += 1;
    }
  }

  /** Remembers until when a 429 asked clients to wait. */
  recordRateLimited(retryAfterSeconds: number): void {
    this.retryNotBeforeMs = Math.max(this.retryNotBeforeMs, this.now() + retryAfterSeconds * 1000);
  }

  recordBucketLevel(level: number): void {
    this.stats.maxBucketLevel = Math.max(this.stats.maxBucketLevel, level);
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

  listEntries(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Empties the log but keeps the counters. */
  clearEntries(): void {
    this.entries = [];
  }

  getStats(): EmulatorStats {
    return structuredClone(this.stats);
  }

  /** Empties the log and zeroes the counters and the `Retry-After` memory. */
  reset(): void {
    this.entries = [];
    this.stats = emptyStats();
    this.retryNotBeforeMs = 0;
  }
}

function emptyStats(): EmulatorStats {
  return { totalRequests: 0, countsByStatus: {}, maxBucketLevel: 0, requestsBeforeRetryAfter: 0 };
}
