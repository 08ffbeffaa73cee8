import type { GorgiasEmulatorRateLimit } from './options';

/** Outcome of one request offered to the bucket. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests in the bucket after this one, rounded up: the `used` in `X-Gorgias-Account-Api-Call-Limit`. */
  used: number;
  limit: number;
  /** Whole seconds until the request would fit, at least 1, or null when the request was allowed. */
  retryAfterSeconds: number | null;
  /** Exact bucket level after the decision. */
  level: number;
}

// Absorbs floating-point error so that a level of 10.0000000001 shows as 10 used, not 11.
const LEVEL_EPSILON = 1e-9;

/**
 * A leaky bucket, the algorithm Gorgias uses per account (Gorgias API docs, Limitations page). Each request adds
 * one unit and the bucket drains `limit / windowSeconds` units per second. A request that would overflow the
 * bucket is rejected and adds nothing.
 */
export class LeakyBucket {
  private level = 0;
  private updatedAtMs: number;

  constructor(
    readonly settings: GorgiasEmulatorRateLimit,
    private readonly now: () => number,
  ) {
    this.updatedAtMs = now();
  }

  /** Drains the bucket up to now, then adds the request when it fits. */
  offer(): RateLimitDecision {
    this.drain();
    const { limit } = this.settings;

    if (this.level + 1 > limit + LEVEL_EPSILON) {
      const secondsToFit = (this.level + 1 - limit) / this.drainPerSecond();
      return {
        allowed: false,
        used: limit,
        limit,
        retryAfterSeconds: Math.max(1, Math.ceil(secondsToFit - LEVEL_EPSILON)),
        level: this.level,
      };
    }

    this.level += 1;
    const used = Math.min(limit, Math.ceil(this.level - LEVEL_EPSILON));
    return { allowed: true, used, limit, retryAfterSeconds: null, level: this.level };
  }

  /** Current level after draining, in requests. */
  currentLevel(): number {
    this.drain();
    return this.level;
  }

  private drain(): void {
    const nowMs = this.now();
    const elapsedSeconds = Math.max(0, nowMs - this.updatedAtMs) / 1000;
    this.level = Math.max(0, this.level - elapsedSeconds * this.drainPerSecond());
    this.updatedAtMs = nowMs;
  }

  private drainPerSecond(): number {
    return this.settings.limit / this.settings.windowSeconds;
  }
}
