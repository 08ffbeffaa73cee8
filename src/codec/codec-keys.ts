import type { CodecKey } from './aes-gcm-codec';

const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses `PAYLOAD_CODEC_KEYS`: a comma-separated list of `keyId:base64key`, each key 32 bytes once decoded.
 * Returns the keys in order, or one message per invalid entry. Messages name the key id or the entry's
 * position, never the key itself.
 */
export function parseCodecKeys(value: string): { keys: CodecKey[]; errors: string[] } {
  const keys: CodecKey[] = [];
  const errors: string[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const separator = entry.indexOf(':');
    if (separator < 0) {
      errors.push(`entry ${index + 1} is not in the form keyId:base64key`);
      return;
    }
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      errors.push(`entry ${index + 1} has an invalid key id; use 1 to 64 of A-Z, a-z, 0-9, ".", "_" and "-"`);
      return;
    }
    if (keys.some((key) => key.id === id)) {
      errors.push(`key id "${id}" appears more than once`);
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64_PATTERN.test(encoded) || key.length !== 32) {
      errors.push(`key "${id}" must be 32 bytes in base64 (for example from \`openssl rand -base64 32\`)`);
      return;
    }
    keys.push({ id, key });
  });
  return { keys, errors };
}
