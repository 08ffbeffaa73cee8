const WINDOW_MS = 1000;

/**
 * Timestamps of the events in the last second, to count events in a rolling one-second window: the window ending
 * at an event contains every event of the 1000 ms before it, that event included.
 */
export class RollingSecond {
  private readonly times: number[] = [];

  constructor(private readonly now: () => number) {}

  /** Number of events in the window that ends now. */
  count(): number {
    this.dropExpired(this.now());
    return this.times.length;
  }

  /** Records an event now and returns the number of events in the window that ends with it. */
  record(): number {
    const nowMs = this.now();
    this.dropExpired(nowMs);
    this.times.push(nowMs);
    return this.times.length;
  }

  clear(): void {
    this.times.length = 0;
  }

  private dropExpired(nowMs: number): void {
    while (this.times.length > 0 && (this.times[0] ?? nowMs) <= nowMs - WINDOW_MS) {
      this.times.shift();
    }
  }
}

/**
 * Whiplash's limit of N requests per second per customer account, as a rolling window. Whiplash does not
 * document its algorithm. A rejected request does not count against the window, so a client that waits a second
 * always gets through.
 */
export class RateLimiter {
  private readonly accepted: RollingSecond;

  constructor(
    readonly limitPerSecond: number,
    now: () => number,
  ) {
    this.accepted = new RollingSecond(now);
  }

  /** Counts the request and returns true when it fits in the window, or returns false without counting it. */
  offer(): boolean {
    if (this.accepted.count() >= this.limitPerSecond) {
      return false;
    }
    this.accepted.record();
    return true;
  }
}
