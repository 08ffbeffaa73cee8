import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/config';
import { connectionOptions } from '../../src/temporal-connection';

function options(env: Record<string, string>) {
  return connectionOptions(parseConfig({ TEMPORAL_ADDRESS: 'acme.tmprl.cloud:7233', ...env }).temporal);
}

describe('Temporal connection options', () => {
  test('plain by default', () => {
    assert.deepEqual(options({}), { address: 'acme.tmprl.cloud:7233', apiKey: undefined, tls: false });
  });

  test('an API key turns TLS on unless TEMPORAL_TLS is false', () => {
    assert.deepEqual(options({ TEMPORAL_API_KEY: 'key' }), {
      address: 'acme.tmprl.cloud:7233',
      apiKey: 'key',
      tls: {},
    });
    assert.equal(options({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS: 'false' }).tls, false);
  });

  test('mTLS reads the certificate pair, the CA and the server name', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'tls-'));
    for (const name of ['client.pem', 'client.key', 'ca.pem']) writeFileSync(path.join(folder, name), `${name} bytes`);

    const { tls } = options({
      TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(folder, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(folder, 'client.key'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(folder, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });

    assert.ok(tls);
    assert.equal(tls.clientCertPair?.crt.toString(), 'client.pem bytes');
    assert.equal(tls.clientCertPair?.key.toString(), 'client.key bytes');
    assert.equal(tls.serverRootCACertificate?.toString(), 'ca.pem bytes');
    assert.equal(tls.serverNameOverride, 'temporal.internal');
  });

  test('a missing file or half a pair is named', () => {
    assert.throws(
      () => options({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }),
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH names \/nonexistent\/ca\.pem, which cannot be read/,
    );
    assert.throws(
      () => options({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/x.pem' }),
      /set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  });
});
