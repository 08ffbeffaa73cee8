import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { signWhiplashBody, verifyWhiplashSignature } from '../../src/whiplash/signature';

const KEY = 'test-signing-key-current';
const OLD_KEY = 'test-signing-key-previous';
const BODY = Buffer.from('{"event_name":"order.created","order":{"id":8403117}}', 'utf8');

describe('signWhiplashBody', () => {
  it('returns 64 lowercase hex characters', () => {
    assert.match(signWhiplashBody(BODY, KEY), /^[0-9a-f]{64}$/);
  });

  it('signs a string as its UTF-8 bytes', () => {
    const text = '{"note":"café"}';
    assert.equal(signWhiplashBody(text, KEY), signWhiplashBody(Buffer.from(text, 'utf8'), KEY));
  });

  it('matches a known HMAC-SHA256 value', () => {
    // RFC 4231, test case 2.
    assert.equal(
      signWhiplashBody('what do ya want for nothing?', 'Jefe'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('verifyWhiplashSignature', () => {
  it('accepts a valid signature', () => {
    assert.deepEqual(verifyWhiplashSignature(BODY, signWhiplashBody(BODY, KEY), [KEY]), { ok: true, keyIndex: 0 });
  });

  it('accepts upper-case hex', () => {
    const header = signWhiplashBody(BODY, KEY).toUpperCase();
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: true, keyIndex: 0 });
  });

  it('accepts surrounding whitespace in the header', () => {
    const header = ` ${signWhiplashBody(BODY, KEY)} `;
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: true, keyIndex: 0 });
  });

  it('rejects a signature made with another key', () => {
    const header = signWhiplashBody(BODY, 'some-other-key');
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: false, reason: 'mismatch' });
  });

  it('rejects a missing header', () => {
    assert.deepEqual(verifyWhiplashSignature(BODY, undefined, [KEY]), { ok: false, reason: 'missing-header' });
  });

  it('rejects an empty header as missing', () => {
    assert.deepEqual(verifyWhiplashSignature(BODY, '  ', [KEY]), { ok: false, reason: 'missing-header' });
  });

  it('rejects a header of the wrong length', () => {
    const valid = signWhiplashBody(BODY, KEY);
    for (const header of [valid.slice(0, 63), `${valid}0`, valid.slice(0, 32)]) {
      assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: false, reason: 'malformed-header' }, header);
    }
  });

  it('rejects a header with non-hex characters', () => {
    const header = `${signWhiplashBody(BODY, KEY).slice(0, 63)}g`;
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: false, reason: 'malformed-header' });
  });

  it('rejects a prefixed header', () => {
    const header = `sha256=${signWhiplashBody(BODY, KEY)}`;
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [KEY]), { ok: false, reason: 'malformed-header' });
  });

  it('accepts the second of two keys', () => {
    const header = signWhiplashBody(BODY, KEY);
    assert.deepEqual(verifyWhiplashSignature(BODY, header, [OLD_KEY, KEY]), { ok: true, keyIndex: 1 });
  });

  it('rejects a body changed by one byte', () => {
    const header = signWhiplashBody(BODY, KEY);
    const changed = Buffer.from(BODY);
    changed[changed.length - 3] = (changed[changed.length - 3] ?? 0) ^ 0x01;
    assert.deepEqual(verifyWhiplashSignature(changed, header, [KEY]), { ok: false, reason: 'mismatch' });
  });

  it('reports no-keys when none are configured', () => {
    const header = signWhiplashBody(BODY, KEY);
    assert.deepEqual(verifyWhiplashSignature(BODY, header, []), { ok: false, reason: 'no-keys' });
  });

  it('never matches an empty key', () => {
    const header = signWhiplashBody(BODY, '');
    assert.deepEqual(verifyWhiplashSignature(BODY, header, ['']), { ok: false, reason: 'no-keys' });
    assert.deepEqual(verifyWhiplashSignature(BODY, header, ['', KEY]), { ok: false, reason: 'mismatch' });
  });

  it('reports the index of the key in the configured list', () => {
    const header = signWhiplashBody(BODY, KEY);
    assert.deepEqual(verifyWhiplashSignature(BODY, header, ['', OLD_KEY, KEY]), { ok: true, keyIndex: 2 });
  });
});
