import type { BackfillProgress } from './run-backfill';

export interface ProgressReporter {
  update(progress: BackfillProgress): void;
  /** Writes the last state and ends the bar's line. */
  finish(): void;
}

const BAR_WIDTH = 24;

/**
 * Reports backfill progress: a bar redrawn in place (done/total, rate, ETA) when `stream` is a terminal, and a
 * plain line every `lineIntervalMs` otherwise, so a log file stays readable.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream,
  options: { lineIntervalMs?: number; redrawIntervalMs?: number } = {},
): ProgressReporter {
  const startedAt = Date.now();
  const interactive = stream.isTTY === true;
  const interval = interactive ? (options.redrawIntervalMs ?? 200) : (options.lineIntervalMs ?? 5000);
  let firstDone: number | null = null;
  let latest: BackfillProgress | null = null;
  let lastDraw = 0;

  const draw = () => {
    if (latest === null) return;
    const text = describe(latest, startedAt, firstDone ?? 0);
    stream.write(interactive ? `\r${text}\u001b[K` : `${text}\n`);
    lastDraw = Date.now();
  };

  return {
    update(progress) {
      firstDone ??= progress.done - 1;
      latest = progress;
      if (Date.now() - lastDraw >= interval) draw();
    },
    finish() {
      draw();
      if (interactive && latest !== null) stream.write('\n');
    },
  };
}

/** Formats one progress line; `doneAtStart` excludes the orders a resumed run had already handled from the rate. */
export function describe(progress: BackfillProgress, startedAt: number, doneAtStart: number, now = Date.now()): string {
  const seconds = Math.max((now - startedAt) / 1000, 0.001);
  const rate = (progress.done - doneAtStart) / seconds;
  const counts = `sent ${progress.sent}, unchanged ${progress.unchanged}, rejected ${progress.rejected}`;
  if (progress.total === null || progress.total === 0) {
    return `${progress.done} orders  ${rate.toFixed(1)}/s  (${counts})`;
  }
  const share = Math.min(progress.done / progress.total, 1);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const remaining = Math.max(progress.total - progress.done, 0);
  const eta = rate > 0 ? formatDuration(remaining / rate) : '?';
  return `[${bar}] ${progress.done}/${progress.total} ${(share * 100).toFixed(0)}%  ${rate.toFixed(1)}/s  ETA ${eta}  (${counts})`;
}

function formatDuration(exactSeconds: number): string {
  const seconds = Math.ceil(exactSeconds);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
