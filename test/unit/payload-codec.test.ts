import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { describe, test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import express from 'express';
import { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/codec/aes-gcm-codec';
import { codecRoutes } from '../../src/codec/codec-routes';
import { listen, stopHttpServer } from '../../src/http-server';
import { parseConfig } from '../../src/config';

const OLD_KEY = { id: 'key-2025', key: randomBytes(32) };
const NEW_KEY = { id: 'key-2026', key: randomBytes(32) };
const CONSUMER = { email: 'avery.lindqvist@example.com', name: 'Avery Lindqvist', street: '418 Larkspur Lane' };

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8');
}

describe('AesGcmCodec', () => {
  test('round trip restores metadata and data', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const payload = defaultPayloadConverter.toPayload(CONSUMER);

    const [encrypted] = await codec.encode([payload]);
    const [decrypted] = await codec.decode([encrypted!]);

    assert.deepEqual(Buffer.from(decrypted!.data!), Buffer.from(payload.data!));
    assert.equal(text(decrypted!.metadata!.encoding), 'json/plain');
    assert.deepEqual(defaultPayloadConverter.fromPayload(decrypted!), CONSUMER);
  });

  test('encrypted payload hides data and encoding', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)]);

    assert.deepEqual(Object.keys(encrypted!.metadata!).sort(), ['encoding', KEY_ID_METADATA]);
    assert.equal(text(encrypted!.metadata!.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encrypted!.metadata![KEY_ID_METADATA]), 'key-2026');
    const raw = Buffer.from(encrypted!.data!).toString('latin1');
    for (const value of [...Object.values(CONSUMER), 'json/plain']) {
      assert.ok(!raw.includes(value), `ciphertext contains "${value}"`);
    }
  });

  test('ciphertext differs per call', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const payload = defaultPayloadConverter.toPayload(CONSUMER);

    const [first] = await codec.encode([payload]);
    const [second] = await codec.encode([payload]);

    assert.notDeepEqual(Buffer.from(first!.data!), Buffer.from(second!.data!));
  });

  test('rotated key set decrypts old payloads', async () => {
    const before = new AesGcmCodec([OLD_KEY]);
    const after = new AesGcmCodec([NEW_KEY, OLD_KEY]);
    const [old] = await before.encode([defaultPayloadConverter.toPayload(CONSUMER)]);

    const [decrypted] = await after.decode([old!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decrypted!), CONSUMER);

    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(CONSUMER)]);
    assert.equal(text(fresh!.metadata![KEY_ID_METADATA]), 'key-2026');
  });

  test('unknown key id names the id', async () => {
    const [encrypted] = await new AesGcmCodec([OLD_KEY]).encode([defaultPayloadConverter.toPayload(CONSUMER)]);

    await assert.rejects(new AesGcmCodec([NEW_KEY]).decode([encrypted!]), /unknown key id "key-2025"/);
  });

  test('tampered ciphertext fails', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 0x01;

    await assert.rejects(codec.decode([{ ...encrypted!, data }]), /authentication failed/);
  });

  test('swapped key id fails', async () => {
    const sameKey = { id: 'other-id', key: NEW_KEY.key };
    const codec = new AesGcmCodec([NEW_KEY, sameKey]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)]);
    const metadata = { ...encrypted!.metadata!, [KEY_ID_METADATA]: Buffer.from('other-id') };

    await assert.rejects(codec.decode([{ ...encrypted!, metadata }]), /authentication failed/);
  });

  test('plain payload passes through decode', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const plain: Payload = defaultPayloadConverter.toPayload(CONSUMER);
    const empty: Payload = { metadata: {}, data: new Uint8Array() };

    const decoded = await codec.decode([plain, empty]);

    assert.equal(decoded[0], plain);
    assert.equal(decoded[1], empty);
  });

  test('missing key id is rejected', async () => {
    const codec = new AesGcmCodec([NEW_KEY]);
    const payload: Payload = { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data: randomBytes(40) };

    await assert.rejects(codec.decode([payload]), /no encryption-key-id metadata/);
  });
});

describe('PAYLOAD_CODEC_KEYS', () => {
  const key = (bytes: number) => randomBytes(bytes).toString('base64');

  test('parses keys in order', () => {
    const first = key(32);
    const config = parseConfig({ PAYLOAD_CODEC_KEYS: ` new:${first} , old:${key(32)}` });

    assert.deepEqual(
      config.temporal.payloadCodecKeys.map((entry) => entry.id),
      ['new', 'old'],
    );
    assert.deepEqual(config.temporal.payloadCodecKeys[0]!.key, Buffer.from(first, 'base64'));
  });

  test('empty means no encryption', () => {
    assert.deepEqual(parseConfig({}).temporal.payloadCodecKeys, []);
    assert.deepEqual(parseConfig({ PAYLOAD_CODEC_KEYS: '' }).temporal.payloadCodecKeys, []);
  });

  test('short key names variable and id', () => {
    assert.throws(
      () => parseConfig({ PAYLOAD_CODEC_KEYS: `good:${key(32)},short:${key(16)}` }),
      /PAYLOAD_CODEC_KEYS: key "short" must be 32 bytes/,
    );
  });

  test('invalid base64 is rejected', () => {
    assert.throws(
      () => parseConfig({ PAYLOAD_CODEC_KEYS: `bad:${'!'.repeat(44)}` }),
      /PAYLOAD_CODEC_KEYS: key "bad" must be 32 bytes/,
    );
  });

  test('entry without id is rejected', () => {
    const secret = key(32);
    const error = (() => {
      try {
        parseConfig({ PAYLOAD_CODEC_KEYS: secret });
      } catch (caught) {
        return caught as Error;
      }
      return null;
    })();

    assert.ok(error, 'parseConfig accepted an entry without a key id');
    assert.match(error.message, /PAYLOAD_CODEC_KEYS: entry 1 is not in the form keyId:base64key/);
    assert.ok(!error.message.includes(secret), 'the error message contains the key');
  });

  test('duplicate id is rejected', () => {
    assert.throws(
      () => parseConfig({ PAYLOAD_CODEC_KEYS: `same:${key(32)},same:${key(32)}` }),
      /PAYLOAD_CODEC_KEYS: key id "same" appears more than once/,
    );
  });

  test('codec server settings default', () => {
    const { codecServer } = parseConfig({}).api;

    assert.equal(codecServer.token, undefined);
    assert.deepEqual(codecServer.corsOrigins, ['http://127.0.0.1:8233', 'http://localhost:8233']);
  });

  test('codec server settings parse', () => {
    const { codecServer } = parseConfig({
      CODEC_SERVER_TOKEN: ' token ',
      CODEC_CORS_ORIGINS: 'https://temporal.example.com, http://localhost:8080',
    }).api;

    assert.equal(codecServer.token, 'token');
    assert.deepEqual(codecServer.corsOrigins, ['https://temporal.example.com', 'http://localhost:8080']);
  });
});

describe('codec server without a token', () => {
  /** Posts an encrypted payload to /codec/decode on a codec server listening on `host`, through `connectTo`. */
  async function decodeStatus(allowLoopbackWithoutToken: boolean, host: string, connectTo: string): Promise<number> {
    const codec = new AesGcmCodec([NEW_KEY]);
    const app = express();
    app.use(codecRoutes({ codec, token: undefined, corsOrigins: [], allowLoopbackWithoutToken }));
    const { server, port } = await listen(app, 0, host);
    try {
      const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)]);
      const body = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(encrypted!.metadata ?? {}).map(([key, value]) => [
                key,
                Buffer.from(value).toString('base64'),
              ]),
            ),
            data: Buffer.from(encrypted!.data ?? []).toString('base64'),
          },
        ],
      };
      const response = await fetch(`http://${connectTo}:${port}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.status;
    } finally {
      await stopHttpServer(server, 100);
    }
  }

  test('accepts loopback calls when npm start allows them', async () => {
    assert.equal(await decodeStatus(true, '127.0.0.1', '127.0.0.1'), 200);
    assert.equal(await decodeStatus(false, '127.0.0.1', '127.0.0.1'), 401);
  });

  test('rejects calls from another address', async (t) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
    if (address === undefined) {
      t.skip('this machine has no non-loopback IPv4 address to call from');
      return;
    }
    assert.equal(await decodeStatus(true, address, address), 401);
  });
});
