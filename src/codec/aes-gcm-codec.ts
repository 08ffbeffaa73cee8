import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** One AES-256 key and the id that encrypted payloads carry, so decoding can find the key again. */
export interface CodecKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** `encoding` metadata of a payload this codec encrypted. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata entry naming the key that encrypted a payload. */
export const KEY_ID_METADATA = 'encryption-key-id';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

/**
 * Encrypts each payload with AES-256-GCM. The whole serialized payload is encrypted, metadata included, so the
 * original encoding is hidden too. The result's data is the 12-byte IV, the ciphertext, then the 16-byte
 * authentication tag. The key id is bound to the ciphertext as additional authenticated data.
 *
 * The first key encrypts and every key decrypts, so a new key can be put first while old histories stay
 * readable. Payloads without the `binary/encrypted` encoding pass through decoding unchanged.
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly encryptionKey: CodecKey;
  private readonly keysById: ReadonlyMap<string, Buffer>;

  constructor(keys: readonly CodecKey[]) {
    const [first] = keys;
    if (first === undefined) throw new Error('AesGcmCodec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`Key "${id}" has ${key.length} bytes; AES-256 needs 32`);
    }
    this.encryptionKey = first;
    this.keysById = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.encryptionKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plaintext = ProtoPayload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING, 'utf8'),
        [KEY_ID_METADATA]: Buffer.from(id, 'utf8'),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (keyIdBytes === undefined || keyIdBytes === null) {
      throw new Error(`Encrypted payload has no ${KEY_ID_METADATA} metadata, so no key can decrypt it`);
    }
    const id = Buffer.from(keyIdBytes).toString('utf8');
    const key = this.keysById.get(id);
    if (key === undefined) {
      throw new Error(
        `Payload is encrypted with unknown key id "${id}"; add that key to PAYLOAD_CODEC_KEYS to decrypt it`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new Error(`Encrypted payload (key id "${id}") is ${data.length} bytes, shorter than an IV and a tag`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new Error(
        `Could not decrypt payload with key id "${id}": authentication failed, so the data or the key is wrong`,
        { cause: error },
      );
    }
    const decoded = ProtoPayload.decode(plaintext);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}
