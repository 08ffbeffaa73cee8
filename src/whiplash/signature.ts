import { createHmac, timingSafeEqual } from 'node:crypto';

/** Outcome of checking an `X-WHIPLASH-SIGNATURE` header against the configured signing keys. */
export type SignatureCheck =
  | { ok: true; keyIndex: number }
  | { ok: false; reason: 'missing-header' | 'malformed-header' | 'mismatch' | 'no-keys' };

// HMAC-SHA256 produces 32 bytes, which Whiplash sends as 64 hex characters.
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Signs a request body the way Whiplash does: HMAC-SHA256 of the raw bytes, as lowercase hex.
 * A string body is signed as its UTF-8 bytes.
 */
export function signWhiplashBody(rawBody: Buffer | string, key: string): string {
  return createHmac('sha256', key).update(rawBody).digest('hex');
}

/**
 * Verifies the `X-WHIPLASH-SIGNATURE` header against each key in turn, so a new key can be added before the
 * old one is removed. The header is compared in constant time, and upper-case hex is accepted.
 *
 * Empty keys are skipped, because an HMAC with an empty key is something anyone can compute. `keyIndex` is
 * the position of the matching key in `keys`.
 */
export function verifyWhiplashSignature(
  rawBody: Buffer,
  header: string | undefined,
  keys: readonly string[],
): SignatureCheck {
  if (!keys.some((key) => key.length > 0)) {
    return { ok: false, reason: 'no-keys' };
  }

  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'missing-header' };
  }

  const received = header.trim().toLowerCase();
  if (!SIGNATURE_PATTERN.test(received)) {
    return { ok: false, reason: 'malformed-header' };
  }

  const receivedBytes = Buffer.from(received, 'hex');
  for (const [keyIndex, key] of keys.entries()) {
    if (key.length === 0) {
      continue;
    }
    const expectedBytes = createHmac('sha256', key).update(rawBody).digest();
    if (timingSafeEqual(expectedBytes, receivedBytes)) {
      return { ok: true, keyIndex };
    }
  }

  return { ok: false, reason: 'mismatch' };
}
