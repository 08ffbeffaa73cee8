import { setTimeout as delay } from 'node:timers/promises';

/**
 * A sliding-window limit on request starts: at most `limit` starts in any `windowMs`. Callers wait in FIFO
 * order, so one client's calls share the budget fairly.
 */
export class RequestPacer {
  /** Start times in ms (from `now`) of the requests inside the current window, oldest first. */
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  /**
   * Throws a RangeError when `limit` is not a positive integer or `windowMs` is not a positive finite number.
   * `now` returns the current time in ms and defaults to `performance.now`.
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(limit) || limit <= 0) {
      throw new RangeError(`RequestPacer limit must be a positive integer, got ${limit}`);
    }
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new RangeError(`RequestPacer windowMs must be a positive number of ms, got ${windowMs}`);
    }
  }

  /**
   * Waits until one more request may start, then counts it as started. An abort through `signal` rejects with
   * the signal's reason at once, and the aborted caller uses no slot.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => undefined);
    return signal ? rejectOnAbort(turn, signal) : turn;
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const nowMs = this.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= nowMs - this.windowMs) {
        this.starts.shift();
      }
      if (this.starts.length < this.limit) {
        this.starts.push(nowMs);
        return;
      }
      // A timer can fire a little early, so the loop checks the window again after it.
      const oldest = this.starts[0] ?? nowMs;
      await delay(Math.max(1, oldest + this.windowMs - nowMs), undefined, { signal });
    }
  }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts. */
export function rejectOnAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}
