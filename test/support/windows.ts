/** Counts the times in the busiest window `[t, t + windowMs)` that starts at one of the times. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  return Math.max(...times.map((start) => times.filter((time) => time >= start && time < start + windowMs).length));
}
