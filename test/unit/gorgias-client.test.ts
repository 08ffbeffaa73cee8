import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inspect } from 'node:util';

import { startGorgiasEmulator, type RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import {
  createGorgiasClient,
  GorgiasApiError,
  GorgiasNetworkError,
  GorgiasResponseError,
  isRetryableGorgiasError,
  type GorgiasClient,
  type GorgiasClientOptions,
  type GorgiasResponseInfo,
} from '../../src/gorgias';
import { parseGorgiasMessage, parseRetryAfter } from '../../src/gorgias/errors';

function apiKeyClient(emulator: RunningGorgiasEmulator, extra: Partial<GorgiasClientOptions> = {}): GorgiasClient {
  const { username, apiKey } = emulator.credentials;
  return createGorgiasClient({ baseUrl: emulator.url, auth: { type: 'api-key', username, apiKey }, ...extra });
}

async function resetEmulator(emulator: RunningGorgiasEmulator): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  assert.equal(response.status, 204);
}

async function seedCustomer(emulator: RunningGorgiasEmulator, email: string): Promise<number> {
  const response = await fetch(`${emulator.url}/_emulator/customers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: null, channels: [{ type: 'email', address: email }] }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: number }).id;
}

/** Returns the error a promise rejects with, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the call to be rejected');
}

/** Starts a loopback server for response shapes the emulator never produces. */
async function startStubServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('Gorgias client against the emulator', () => {
  let emulator: RunningGorgiasEmulator;
  let client: GorgiasClient;
  const responses: GorgiasResponseInfo[] = [];

  before(async () => {
    emulator = await startGorgiasEmulator();
    client = apiKeyClient(emulator, { onResponse: (info) => responses.push(info) });
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
    responses.length = 0;
  });
  after(async () => {
    await emulator.close();
  });

  test('createCustomer sends the email and phone channels', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: 'Jane Roe', phone: '+15551234567' });
    const fetched = await client.getCustomer(created.id);

    assert.equal(fetched.email, 'jane@example.com');
    assert.equal(fetched.name, 'Jane Roe');
    assert.deepEqual(
      fetched.channels?.map((channel) => [channel.type, channel.address, channel.preferred]),
      [
        ['email', 'jane@example.com', true],
        ['phone', '+15551234567', false],
      ],
    );
  });

  test('createCustomer without phone sends email only', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });

    assert.deepEqual(
      created.channels?.map((channel) => channel.type),
      ['email'],
    );
    assert.equal(created.name, null);
  });

  test('createCustomer throws a 409 error for a taken email', async () => {
    await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });

    const err = await rejectionOf(client.createCustomer({ email: 'jane@example.com', name: null, phone: null }));

    assert.ok(err instanceof GorgiasApiError);
    assert.equal(err.status, 409);
    assert.equal(err.method, 'POST');
    assert.equal(err.path, '/api/customers');
    assert.equal(isRetryableGorgiasError(err), false);
  });

  test('listCustomersByEmail keeps a plus sign exact', async () => {
    const tagged = await client.createCustomer({ email: 'jane+shop@example.com', name: null, phone: null });
    await client.createCustomer({ email: 'jane shop@example.com', name: null, phone: null });
    await client.createCustomer({ email: 'Jane+shop@example.com', name: null, phone: null });

    const found = await client.listCustomersByEmail('jane+shop@example.com');
    const missing = await client.listCustomersByEmail('nobody@example.com');

    assert.deepEqual(
      found.map((customer) => customer.id),
      [tagged.id],
    );
    assert.deepEqual(missing, []);
  });

  test('listCustomersByEmail follows cursors over all pages', async () => {
    const seededIds: number[] = [];
    for (let index = 0; index < 150; index += 1) {
      seededIds.push(await seedCustomer(emulator, 'dup@example.com'));
    }

    const found = await client.listCustomersByEmail('dup@example.com');

    assert.deepEqual(
      found.map((customer) => customer.id),
      seededIds,
    );
    assert.equal(responses.length, 2);
  });

  test('getCustomer returns the data blob', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });

    const before = await client.getCustomer(created.id);
    await client.setCustomerData(created.id, { whiplash: { orders: [1] } }, '2024-05-02T10:00:00.000000');
    const after = await client.getCustomer(created.id);

    assert.equal(before.data, null);
    assert.deepEqual(after.data, { whiplash: { orders: [1] } });
    assert.equal(after.id, created.id);
  });

  test('setCustomerData with older version is skipped', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });

    await client.setCustomerData(created.id, { whiplash: 'new' }, '2024-05-02T10:00:00.000000');
    await client.setCustomerData(created.id, { whiplash: 'old' }, '2024-05-01T10:00:00.000000');

    assert.deepEqual((await client.getCustomer(created.id)).data, { whiplash: 'new' });
  });

  test('updateCustomer keeps other channels when it sets a phone', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: '+15550000000' });
    await fetch(`${emulator.url}/api/customers/${created.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: basicAuthorization(emulator) },
      body: JSON.stringify({
        channels: [...(created.channels ?? []), { type: 'chat', address: 'chat-123', preferred: false }],
      }),
    });
    const existing = await client.getCustomer(created.id);

    const updated = await client.updateCustomer(created.id, {
      name: 'Jane Roe',
      email: 'jane@example.com',
      phone: '+15551111111',
      existingChannels: existing.channels,
    });

    assert.equal(updated?.name, 'Jane Roe');
    assert.deepEqual(
      updated?.channels?.map((channel) => [channel.type, channel.address]),
      [
        ['email', 'jane@example.com'],
        ['phone', '+15551111111'],
        ['chat', 'chat-123'],
      ],
    );
  });

  test('updateCustomer reads the channels when none are given', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });

    const updated = await client.updateCustomer(created.id, { email: 'jane@example.com', phone: '+15551111111' });

    assert.deepEqual(
      updated?.channels?.map((channel) => [channel.type, channel.address]),
      [
        ['email', 'jane@example.com'],
        ['phone', '+15551111111'],
      ],
    );
    assert.deepEqual(
      responses.map((info) => `${info.method} ${info.route}`),
      ['POST /api/customers', 'GET /api/customers/:id', 'PUT /api/customers/:id'],
    );
  });

  test('updateCustomer without a phone leaves the channels alone', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: '+15550000000' });

    const updated = await client.updateCustomer(created.id, {
      name: 'Jane',
      email: 'jane@example.com',
      existingChannels: [],
    });

    assert.equal(updated?.name, 'Jane');
    assert.equal(updated?.channels?.length, 2);
  });

  test('onResponse reports route templates and statuses', async () => {
    const created = await client.createCustomer({ email: 'jane@example.com', name: null, phone: null });
    await client.setCustomerData(created.id, {}, '2024-05-02T10:00:00Z');

    assert.deepEqual(
      responses.map((info) => [info.method, info.route, info.status]),
      [
        ['POST', '/api/customers', 201],
        ['PUT', '/api/customers/:id/data', 202],
      ],
    );
    assert.ok(responses.every((info) => info.durationMs >= 0));
  });

  test('API error carries details and redacts auth', async () => {
    const err = await rejectionOf(client.getCustomer(999_999));

    assert.ok(err instanceof GorgiasApiError);
    assert.equal(err.status, 404);
    assert.equal(err.method, 'GET');
    assert.equal(err.path, '/api/customers/999999');
    assert.equal(err.gorgiasMessage, 'Customer not found');
    assert.equal(err.message, 'Gorgias GET /api/customers/999999 failed with 404: Customer not found');
    assert.equal(err.request.url, `${emulator.url}/api/customers/999999`);
    assert.equal(err.request.headers.authorization, '[redacted]');

    const secrets = [emulator.credentials.apiKey, basicAuthorization(emulator).slice('Basic '.length)];
    for (const secret of secrets) {
      assert.ok(!String(err).includes(secret), 'String(err) contains a credential');
      assert.ok(!err.message.includes(secret), 'err.message contains a credential');
      assert.ok(!JSON.stringify(err).includes(secret), 'JSON.stringify(err) contains a credential');
      assert.ok(!inspect(err, { depth: 5 }).includes(secret), 'inspect(err) contains a credential');
    }
  });

  test('API error message leaves out the query string', async () => {
    emulator.configure({ faults: { serverErrorRate: 1, latencyMs: 0 } });
    try {
      const err = await rejectionOf(client.listCustomersByEmail('jane@example.com'));

      assert.ok(err instanceof GorgiasApiError);
      assert.ok(err.path.startsWith('/api/customers?email=jane%40example.com&'));
      assert.ok(!err.message.includes('jane'), 'the message contains the email');
      assert.equal(isRetryableGorgiasError(err), true);
    } finally {
      emulator.configure({ faults: { serverErrorRate: 0, latencyMs: 0 } });
    }
  });

  test('setCustomerData throws a 301 error for a merged customer', async () => {
    const source = await client.createCustomer({ email: 'old@example.com', name: null, phone: null });
    const target = await client.createCustomer({ email: 'new@example.com', name: null, phone: null });
    const merge = await fetch(`${emulator.url}/api/customers/merge?source_id=${source.id}&target_id=${target.id}`, {
      method: 'PUT',
      headers: { authorization: basicAuthorization(emulator) },
    });
    assert.equal(merge.status, 200);

    const err = await rejectionOf(client.setCustomerData(source.id, { a: 1 }, '2024-05-02T10:00:00Z'));

    assert.ok(err instanceof GorgiasApiError);
    assert.equal(err.status, 301);
    assert.equal(err.location, `${emulator.url}/api/customers/${target.id}/data`);
    assert.equal(isRetryableGorgiasError(err), false);
    assert.equal((await client.getCustomer(target.id)).data, null);
  });

  test('OAuth access token authenticates', async () => {
    const oauthClient = createGorgiasClient({
      baseUrl: emulator.url,
      auth: { type: 'oauth', accessToken: emulator.credentials.accessToken },
    });

    assert.deepEqual(await oauthClient.listCustomersByEmail('jane@example.com'), []);
  });

  test('wrong API key surfaces as a 401 error', async () => {
    const wrongClient = createGorgiasClient({
      baseUrl: emulator.url,
      auth: { type: 'api-key', username: emulator.credentials.username, apiKey: 'wrong-key' },
    });

    const err = await rejectionOf(wrongClient.getCustomer(1000));

    assert.ok(err instanceof GorgiasApiError);
    assert.equal(err.status, 401);
    assert.equal(err.gorgiasMessage, 'Invalid credentials');
    assert.ok(!JSON.stringify(err).includes('wrong-key'));
  });

  test('invalid customer id throws before any request', async () => {
    await assert.rejects(client.getCustomer(0), TypeError);
    await assert.rejects(client.setCustomerData(1.5, {}, '2024-05-02T10:00:00Z'), TypeError);
    assert.equal(responses.length, 0);
  });

  test('caller abort rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('activity cancelled'));

    const err = await rejectionOf(client.getCustomer(1000, { signal: controller.signal }));

    assert.ok(err instanceof Error);
    assert.equal(err.message, 'activity cancelled');
    assert.ok(!(err instanceof GorgiasNetworkError));
  });
});

describe('Gorgias client rate limit', () => {
  let emulator: RunningGorgiasEmulator;

  before(async () => {
    emulator = await startGorgiasEmulator({ rateLimit: { limit: 2, windowSeconds: 60 }, now: () => 0 });
  });
  after(async () => {
    await emulator.close();
  });

  test('429 error carries retryAfterMs and the call limit', async () => {
    const client = apiKeyClient(emulator);
    await client.listCustomersByEmail('jane@example.com');
    await client.listCustomersByEmail('jane@example.com');

    const err = await rejectionOf(client.listCustomersByEmail('jane@example.com'));

    assert.ok(err instanceof GorgiasApiError);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 30_000);
    assert.equal(err.callLimit, '2/2');
    assert.equal(isRetryableGorgiasError(err), true);
  });
});

describe('Gorgias client transport failures', () => {
  test('closed port surfaces as a retryable network error', async () => {
    const { url, server } = await startStubServer((_req, res) => res.end());
    await stopServer(server);
    const outcomes: unknown[] = [];
    const client = createGorgiasClient({
      baseUrl: url,
      auth: { type: 'oauth', accessToken: 'token' },
      onResponse: (info) => outcomes.push(info.status),
    });

    const err = await rejectionOf(client.getCustomer(1));

    assert.deepEqual(outcomes, ['network_error']);
    assert.ok(err instanceof GorgiasNetworkError);
    assert.equal(err.method, 'GET');
    assert.equal(err.path, '/api/customers/1');
    assert.match(err.message, /ECONNREFUSED/);
    assert.ok(err.cause instanceof Error);
    assert.equal(isRetryableGorgiasError(err), true);
  });

  test('slow response times out as a network error', async () => {
    const { url, server } = await startStubServer(() => undefined);
    try {
      const outcomes: unknown[] = [];
      const client = createGorgiasClient({
        baseUrl: url,
        auth: { type: 'oauth', accessToken: 't' },
        timeoutMs: 100,
        onResponse: (info) => outcomes.push(info.status),
      });

      const err = await rejectionOf(client.getCustomer(1));

      assert.ok(err instanceof GorgiasNetworkError);
      assert.equal(err.timedOut, true);
      assert.deepEqual(outcomes, ['timeout']);
      assert.match(err.message, /timed out after 100 ms/);
    } finally {
      await stopServer(server);
    }
  });

  test('empty 202 from updateCustomer returns null', async () => {
    const { url, server } = await startStubServer((_req, res) => res.writeHead(202).end());
    try {
      const client = createGorgiasClient({ baseUrl: url, auth: { type: 'oauth', accessToken: 't' } });

      assert.equal(await client.updateCustomer(1, { email: 'jane@example.com', name: 'Jane' }), null);
    } finally {
      await stopServer(server);
    }
  });

  test('invalid customer body names the failing field', async () => {
    const body = JSON.stringify({ id: 'abc', email: 'jane@example.com', name: null });
    const { url, server } = await startStubServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    );
    try {
      const client = createGorgiasClient({ baseUrl: url, auth: { type: 'oauth', accessToken: 't' } });

      const err = await rejectionOf(client.getCustomer(7));

      assert.ok(err instanceof GorgiasResponseError);
      assert.match(err.message, /GET \/api\/customers\/7/);
      assert.match(err.message, /\bid: /);
      assert.equal(isRetryableGorgiasError(err), false);
    } finally {
      await stopServer(server);
    }
  });

  test('unknown customer fields pass through', async () => {
    const body = JSON.stringify({ id: 7, email: null, name: null, integrations: { 12: { x: 1 } } });
    const { url, server } = await startStubServer((_req, res) => res.writeHead(200).end(body));
    try {
      const client = createGorgiasClient({ baseUrl: url, auth: { type: 'oauth', accessToken: 't' } });

      const customer = await client.getCustomer(7);

      assert.deepEqual(customer.integrations, { 12: { x: 1 } });
    } finally {
      await stopServer(server);
    }
  });
});

describe('Gorgias client options', () => {
  const auth = { type: 'api-key', username: 'dev@example.com', apiKey: 'key' } as const;

  test('invalid options throw a TypeError naming the option', () => {
    const cases: [Partial<GorgiasClientOptions>, RegExp][] = [
      [{ baseUrl: 'not a url' }, /baseUrl/],
      [{ baseUrl: 'ftp://acme.gorgias.com' }, /baseUrl/],
      [{ baseUrl: 'https://user:pass@acme.gorgias.com' }, /baseUrl/],
      [{ auth: { type: 'api-key', username: 'dev@example.com', apiKey: '' } }, /auth\.apiKey/],
      [{ auth: { type: 'api-key', username: ' ', apiKey: 'key' } }, /auth\.username/],
      [{ auth: { type: 'oauth', accessToken: '' } }, /auth\.accessToken/],
      [{ timeoutMs: 0 }, /timeoutMs/],
      [{ requestBudget: { requests: 0, windowMs: 20_000 } }, /requestBudget\.requests/],
      [{ requestBudget: { requests: 2.5, windowMs: 20_000 } }, /requestBudget\.requests/],
      [{ requestBudget: { requests: 40, windowMs: 0 } }, /requestBudget\.windowMs/],
      [{ requestBudget: { requests: 40, windowMs: Number.NaN } }, /requestBudget\.windowMs/],
      [{ requestBudget: null as unknown as GorgiasClientOptions['requestBudget'] }, /requestBudget/],
    ];
    for (const [override, pattern] of cases) {
      assert.throws(
        () => createGorgiasClient({ baseUrl: 'https://acme.gorgias.com', auth, ...override }),
        (err: unknown) => err instanceof TypeError && pattern.test(err.message),
        `expected a TypeError matching ${pattern} for ${JSON.stringify(override)}`,
      );
    }
  });
});

describe('Gorgias error helpers', () => {
  test('isRetryableGorgiasError classifies errors', () => {
    const network = new GorgiasNetworkError('GET', '/api/customers/1', 'connect ECONNREFUSED', new Error('x'));
    const cases: [unknown, boolean][] = [
      [network, true],
      [apiError(408), true],
      [apiError(429), true],
      [apiError(500), true],
      [apiError(502), true],
      [apiError(503), true],
      [apiError(301), false],
      [apiError(400), false],
      [apiError(401), false],
      [apiError(403), false],
      [apiError(404), false],
      [apiError(409), false],
      [new GorgiasResponseError('GET', '/api/customers/1', 200, 'id: invalid'), false],
      [new Error('other'), false],
      ['not an error', false],
    ];
    for (const [err, expected] of cases) {
      assert.equal(isRetryableGorgiasError(err), expected, `wrong answer for ${String(err)}`);
    }
  });

  test('parseGorgiasMessage reads the three body shapes', () => {
    assert.equal(parseGorgiasMessage('{"error":{"msg":"Invalid data","data":{"email":["taken"]}}}'), 'Invalid data');
    assert.equal(parseGorgiasMessage('{"error":"Customer not found"}'), 'Customer not found');
    assert.equal(parseGorgiasMessage('{"message":"Service unavailable"}'), 'Service unavailable');
    assert.equal(parseGorgiasMessage('<html>502</html>'), null);
    assert.equal(parseGorgiasMessage(''), null);
    assert.equal(parseGorgiasMessage('{"error":{"data":{}}}'), null);
  });

  test('parseRetryAfter reads seconds, decimals and HTTP dates', () => {
    const nowMs = Date.parse('2024-05-01T00:00:00Z');

    assert.equal(parseRetryAfter('3', nowMs), 3_000);
    assert.equal(parseRetryAfter('1.5', nowMs), 1_500);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 00:00:10 GMT', nowMs), 10_000);
    assert.equal(parseRetryAfter('Tue, 30 Apr 2024 23:00:00 GMT', nowMs), 0);
    assert.equal(parseRetryAfter('soon', nowMs), null);
    assert.equal(parseRetryAfter(null, nowMs), null);
  });

  test('API error without a Gorgias message uses the status text', () => {
    const err = apiError(502, '<html>Bad Gateway</html>');

    assert.equal(err.gorgiasMessage, null);
    assert.equal(err.message, 'Gorgias GET /api/customers/1 failed with 502: Bad Gateway');
  });
});

function apiError(status: number, responseBody = ''): GorgiasApiError {
  return new GorgiasApiError({
    method: 'GET',
    path: '/api/customers/1',
    status,
    statusText: status === 502 ? 'Bad Gateway' : '',
    responseHeaders: new Headers(),
    responseBody,
    request: {
      method: 'GET',
      url: 'https://acme.gorgias.com/api/customers/1',
      headers: { authorization: '[redacted]' },
    },
  });
}

function basicAuthorization(emulator: RunningGorgiasEmulator): string {
  const { username, apiKey } = emulator.credentials;
  return `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}`;
}
