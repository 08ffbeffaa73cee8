// Whiplash timestamps carry a local offset, which changes with daylight saving time. The emulator always writes
// US Eastern Standard Time (-05:00), so that every timestamp it makes has a non-zero offset.
const OFFSET_MINUTES = -5 * 60;
const OFFSET_TEXT = '-05:00';

/**
 * Formats epoch ms the way Whiplash does: ISO 8601 with milliseconds and an offset, such as
 * `2026-03-13T11:39:21.000-05:00`.
 */
export function formatWhiplashTimestamp(epochMs: number): string {
  const local = new Date(epochMs + OFFSET_MINUTES * 60_000).toISOString();
  return `${local.slice(0, -1)}${OFFSET_TEXT}`;
}
