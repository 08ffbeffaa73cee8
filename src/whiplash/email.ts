import { createHash } from 'node:crypto';

/**
 * Normalizes an email address the way this service matches consumers: surrounding whitespace removed and
 * lower-cased. Whiplash does not normalize the address, so the same consumer can arrive in several
 * spellings.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * Hashes a normalized email with SHA-256 and returns lowercase hex. Workflow ids and search attributes use
 * the hash because Temporal does not encrypt them.
 */
export function hashEmail(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
