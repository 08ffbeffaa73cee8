import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackfillCounts, RejectedOrder } from './run-backfill';
import type { SourceCursor } from './sources';

/** The saved state of an interrupted backfill. */
export interface Checkpoint {
  version: 1;
  /** The source's description; a checkpoint only resumes the backfill it was written by. */
  source: string;
  /** The listing window of an API backfill, fixed by its first run. */
  window?: { since: string; until: string };
  cursor: SourceCursor;
  counts: BackfillCounts;
  rejected: RejectedOrder[];
  savedAt: string;
}

/**
 * Reads a checkpoint, or returns null when the file does not exist. Throws when the file belongs to a
 * backfill of another source, or cannot be read, with what to do about it.
 */
export function loadCheckpoint(file: string, source: string): Checkpoint | null {
  if (!existsSync(file)) return null;
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  } catch (error) {
    throw new Error(`Checkpoint ${file} is not valid JSON (${(error as Error).message}); delete it to start over`);
  }
  if (checkpoint.version !== 1 || checkpoint.source !== source) {
    throw new Error(
      `Checkpoint ${file} belongs to another backfill (${String(checkpoint.source)}); ` +
        'pass --restart to start this one from the beginning, or --checkpoint with another file',
    );
  }
  return checkpoint;
}

/**
 * Saves checkpoints at most every `intervalMs`, atomically (a temporary file renamed over the old one), so a
 * crash mid-write leaves the previous checkpoint intact. Call `flush()` before exiting.
 */
export function createCheckpointWriter(file: string, intervalMs = 500) {
  let latest: Checkpoint | null = null;
  let lastWrite = 0;

  const write = () => {
    if (latest === null) return;
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(latest, null, 2)}\n`);
    renameSync(temporary, file);
    lastWrite = Date.now();
  };

  return {
    update(checkpoint: Omit<Checkpoint, 'version' | 'savedAt'>): void {
      latest = { version: 1, ...checkpoint, savedAt: new Date().toISOString() };
      if (Date.now() - lastWrite >= intervalMs) write();
    },
    flush: write,
    /** Deletes the checkpoint once the backfill is complete, so running it again starts from the beginning. */
    remove(): void {
      latest = null;
      rmSync(file, { force: true });
    },
  };
}
