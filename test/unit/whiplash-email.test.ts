import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hashEmail, normalizeEmail } from '../../src/whiplash/email';

describe('normalizeEmail', () => {
  it('trims surrounding whitespace and lower-cases', () => {
    assert.equal(normalizeEmail('  Marcus.DELANEY@Example.COM \n'), 'marcus.delaney@example.com');
  });

  it('keeps an already normalized address unchanged', () => {
    assert.equal(normalizeEmail('sam.okafor@example.com'), 'sam.okafor@example.com');
  });
});

describe('hashEmail', () => {
  it('returns lowercase hex SHA-256', () => {
    // Published SHA-256 test vector for "abc" (FIPS 180-2, appendix B.1).
    assert.equal(hashEmail('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives one hash for every spelling once normalized', () => {
    const hashes = ['Sam.Okafor@Example.com', ' sam.okafor@example.com'].map((raw) => hashEmail(normalizeEmail(raw)));
    assert.equal(hashes[0], hashes[1]);
    assert.match(hashes[0] ?? '', /^[0-9a-f]{64}$/);
  });
});
