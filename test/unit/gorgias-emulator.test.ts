import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import {
  DEFAULT_CREDENTIALS,
  startGorgiasEmulator,
  type EmulatedCustomer,
  type EmulatorStats,
  type GorgiasEmulatorOptions,
  type RequestLogEntry,
  type RunningGorgiasEmulator,
} from '../../src/emulators/gorgias';

const BASIC_AUTH = `Basic ${Buffer.from(`${DEFAULT_CREDENTIALS.username}:${DEFAULT_CREDENTIALS.apiKey}`).toString('base64')}`;

interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface CustomerPage {
  data: EmulatedCustomer[];
  meta: { prev_cursor: string | null; next_cursor: string | null };
}

interface GorgiasErrorBody {
  error: { msg: string; data?: Record<string, string[]> };
}

/** Sends one request to the emulator with the default API-key credentials unless `authorization` is given. */
async function call(
  emulator: RunningGorgiasEmulator,
  method: string,
  path: string,
  body?: unknown,
  authorization: string | null = BASIC_AUTH,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (authorization !== null) {
    headers.authorization = authorization;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text || null };
}

function customerBody(email: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const channels = email === null ? [] : [{ type: 'email', address: email, preferred: true }];
  return { email, name: 'Jane Roe', channels, ...extra };
}

async function createCustomer(emulator: RunningGorgiasEmulator, email: string | null): Promise<EmulatedCustomer> {
  const response = await call(emulator, 'POST', '/api/customers', customerBody(email));
  assert.equal(response.status, 201);
  return response.body as EmulatedCustomer;
}

async function getCustomer(emulator: RunningGorgiasEmulator, id: number): Promise<EmulatedCustomer> {
  const response = await call(emulator, 'GET', `/api/customers/${id}`);
  assert.equal(response.status, 200);
  return response.body as EmulatedCustomer;
}

function errorMessage(response: ApiResponse): string {
  return (response.body as GorgiasErrorBody).error.msg;
}

describe('Gorgias emulator customers', () => {
  let emulator: RunningGorgiasEmulator;

  before(async () => {
    emulator = await startGorgiasEmulator();
  });
  beforeEach(async () => {
    await call(emulator, 'POST', '/_emulator/reset', undefined, null);
  });
  after(async () => {
    await emulator.close();
  });

  test('listens on loopback with a free port', () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(emulator.port, 0);
  });

  test('email filter matches the exact primary email', async () => {
    const jane = await createCustomer(emulator, 'jane@example.com');
    await createCustomer(emulator, 'Jane@example.com');
    await call(
      emulator,
      'POST',
      '/api/customers',
      customerBody('other@example.com', {
        channels: [{ type: 'email', address: 'jane.secondary@example.com' }],
      }),
    );

    const exact = await call(emulator, 'GET', '/api/customers?email=jane%40example.com');
    const upperCase = await call(emulator, 'GET', '/api/customers?email=JANE%40EXAMPLE.COM');
    const secondary = await call(emulator, 'GET', '/api/customers?email=jane.secondary%40example.com');

    assert.deepEqual(
      (exact.body as CustomerPage).data.map((customer) => customer.id),
      [jane.id],
    );
    assert.deepEqual((upperCase.body as CustomerPage).data, []);
    assert.deepEqual((secondary.body as CustomerPage).data, []);
  });

  test('channel filter matches a secondary email channel', async () => {
    await call(
      emulator,
      'POST',
      '/api/customers',
      customerBody('other@example.com', {
        channels: [{ type: 'email', address: 'jane.secondary@example.com' }],
      }),
    );

    const response = await call(
      emulator,
      'GET',
      '/api/customers?channel_type=email&channel_address=jane.secondary%40example.com',
    );

    assert.equal(response.status, 200);
    assert.deepEqual(
      (response.body as CustomerPage).data.map((customer) => customer.email),
      ['other@example.com'],
    );
  });

  test('paginates over more than 100 customers with cursors', async () => {
    for (let index = 0; index < 150; index += 1) {
      await createCustomer(emulator, `customer-${index}@example.com`);
    }

    const first = await call(emulator, 'GET', '/api/customers?limit=100&order_by=created_datetime:asc');
    const firstPage = first.body as CustomerPage;
    assert.equal(firstPage.data.length, 100);
    assert.equal(firstPage.meta.prev_cursor, null);
    assert.equal(typeof firstPage.meta.next_cursor, 'string');

    const cursor = encodeURIComponent(firstPage.meta.next_cursor ?? '');
    const second = await call(
      emulator,
      'GET',
      `/api/customers?limit=100&order_by=created_datetime:asc&cursor=${cursor}`,
    );
    const secondPage = second.body as CustomerPage;
    assert.equal(secondPage.data.length, 50);
    assert.equal(secondPage.meta.next_cursor, null);
    assert.equal(typeof secondPage.meta.prev_cursor, 'string');

    const ids = [...firstPage.data, ...secondPage.data].map((customer) => customer.id);
    assert.equal(new Set(ids).size, 150);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
  });

  test('returns 30 customers per page by default', async () => {
    for (let index = 0; index < 31; index += 1) {
      await createCustomer(emulator, `customer-${index}@example.com`);
    }

    const response = await call(emulator, 'GET', '/api/customers');

    assert.equal((response.body as CustomerPage).data.length, 30);
    assert.notEqual((response.body as CustomerPage).meta.next_cursor, null);
  });

  test('returns 400 naming limit when it exceeds 100', async () => {
    const response = await call(emulator, 'GET', '/api/customers?limit=101');

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /limit/);
  });

  test('returns 400 naming an unknown query parameter', async () => {
    const response = await call(emulator, 'GET', '/api/customers?email=a%40example.com&per_page=10');

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /per_page/);
  });

  test('returns 400 for an invalid cursor', async () => {
    const response = await call(emulator, 'GET', '/api/customers?cursor=not-a-cursor');

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /cursor/);
  });

  test('returns 409 when the email already exists', async () => {
    await createCustomer(emulator, 'jane@example.com');

    const duplicate = await call(emulator, 'POST', '/api/customers', customerBody('jane@example.com'));
    const otherCase = await call(emulator, 'POST', '/api/customers', customerBody('JANE@example.com'));

    assert.equal(duplicate.status, 409);
    assert.equal(typeof errorMessage(duplicate), 'string');
    assert.equal(otherCase.status, 201);
  });

  test('returns 400 naming channels when they are missing', async () => {
    const response = await call(emulator, 'POST', '/api/customers', { email: 'jane@example.com', name: 'Jane' });

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /channels/);
    assert.ok((response.body as GorgiasErrorBody).error.data?.channels);
  });

  test('returns 400 naming an unknown body field', async () => {
    const response = await call(emulator, 'POST', '/api/customers', customerBody('a@example.com', { nickname: 'J' }));

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /nickname/);
  });

  test('returns a created customer with null data', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');

    const fetched = await getCustomer(emulator, created.id);

    assert.ok(created.id >= 1000);
    assert.equal(fetched.data, null);
    assert.equal(fetched.email, 'jane@example.com');
    assert.ok(!Number.isNaN(Date.parse(fetched.created_datetime)));
  });

  test('returns 404 for an unknown customer', async () => {
    const get = await call(emulator, 'GET', '/api/customers/999999');
    const update = await call(emulator, 'PUT', '/api/customers/999999', { name: 'X' });
    const data = await call(emulator, 'PUT', '/api/customers/999999/data', { data: {} });

    assert.equal(get.status, 404);
    assert.equal(update.status, 404);
    assert.equal(data.status, 404);
  });

  test('update replaces the channel list', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');

    const response = await call(emulator, 'PUT', `/api/customers/${created.id}`, {
      channels: [{ type: 'phone', address: '+15551234567' }],
    });
    const fetched = await getCustomer(emulator, created.id);

    assert.equal(response.status, 202);
    assert.deepEqual(
      fetched.channels.map((channel) => [channel.type, channel.address]),
      [['phone', '+15551234567']],
    );
    assert.equal(fetched.email, 'jane@example.com');
  });

  test('update without channels keeps them', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');

    await call(emulator, 'PUT', `/api/customers/${created.id}`, { name: 'Jane Doe' });
    const fetched = await getCustomer(emulator, created.id);

    assert.equal(fetched.name, 'Jane Doe');
    assert.deepEqual(
      fetched.channels.map((channel) => channel.address),
      ['jane@example.com'],
    );
  });

  test('data write replaces the whole blob', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');

    const first = await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { data: { a: 1, b: { c: 2 } } });
    await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { data: { b: { d: 3 } } });
    const fetched = await getCustomer(emulator, created.id);

    assert.equal(first.status, 202);
    assert.equal(first.body, null);
    assert.deepEqual(fetched.data, { b: { d: 3 } });
  });

  test('data write with an older version is skipped', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');
    const path = `/api/customers/${created.id}/data`;

    await call(emulator, 'PUT', path, { data: { order: 'new' }, version: '2024-05-13T12:34:21.918927' });
    const stale = await call(emulator, 'PUT', path, { data: { order: 'old' }, version: '2024-05-13T12:34:21.918926' });
    const afterStale = await getCustomer(emulator, created.id);
    await call(emulator, 'PUT', path, { data: { order: 'newer' }, version: '2024-05-13T12:34:22Z' });
    const afterNewer = await getCustomer(emulator, created.id);

    assert.equal(stale.status, 202);
    assert.deepEqual(afterStale.data, { order: 'new' });
    assert.deepEqual(afterNewer.data, { order: 'newer' });
  });

  test('data write rejects missing data and bad versions', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');

    const missing = await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { version: null });
    const notObject = await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { data: [1, 2] });
    const badVersion = await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { data: {}, version: 'soon' });

    assert.equal(missing.status, 400);
    assert.match(errorMessage(missing), /data/);
    assert.equal(notObject.status, 400);
    assert.equal(badVersion.status, 400);
    assert.match(errorMessage(badVersion), /version/);
  });

  test('data write becomes visible after dataApplyDelayMs', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');
    emulator.configure({ dataApplyDelayMs: 100 });

    try {
      const response = await call(emulator, 'PUT', `/api/customers/${created.id}/data`, { data: { late: true } });
      const before = await getCustomer(emulator, created.id);
      await delay(250);
      const later = await getCustomer(emulator, created.id);

      assert.equal(response.status, 202);
      assert.equal(before.data, null);
      assert.deepEqual(later.data, { late: true });
    } finally {
      emulator.configure({ dataApplyDelayMs: 0 });
    }
  });

  test('data write after a merge returns 301', async () => {
    const source = await createCustomer(emulator, 'old@example.com');
    const target = await createCustomer(emulator, 'new@example.com');
    await call(emulator, 'PUT', `/api/customers/${source.id}/data`, { data: { from: 'source' } });

    const merge = await call(emulator, 'PUT', `/api/customers/merge?source_id=${source.id}&target_id=${target.id}`, {});
    const write = await call(emulator, 'PUT', `/api/customers/${source.id}/data`, { data: { late: true } });
    const getSource = await call(emulator, 'GET', `/api/customers/${source.id}`);

    assert.equal(merge.status, 200);
    assert.equal((merge.body as EmulatedCustomer).id, target.id);
    assert.equal(write.status, 301);
    assert.equal(write.headers.get('location'), `${emulator.url}/api/customers/${target.id}/data`);
    assert.equal(getSource.status, 404);
  });

  test('merge takes source data only into an empty target', async () => {
    const source = await createCustomer(emulator, 'old@example.com');
    const emptyTarget = await createCustomer(emulator, 'empty@example.com');
    const fullTarget = await createCustomer(emulator, 'full@example.com');
    const other = await createCustomer(emulator, 'other@example.com');
    await call(emulator, 'PUT', `/api/customers/${source.id}/data`, { data: { from: 'source' } });
    await call(emulator, 'PUT', `/api/customers/${other.id}/data`, { data: { from: 'other' } });
    await call(emulator, 'PUT', `/api/customers/${fullTarget.id}/data`, { data: { from: 'target' } });

    await call(emulator, 'PUT', `/api/customers/merge?source_id=${source.id}&target_id=${emptyTarget.id}`, {});
    await call(emulator, 'PUT', `/api/customers/merge?source_id=${other.id}&target_id=${fullTarget.id}`, {});
    const merged = await getCustomer(emulator, emptyTarget.id);
    const kept = await getCustomer(emulator, fullTarget.id);

    assert.deepEqual(merged.data, { from: 'source' });
    assert.deepEqual(merged.channels.map((channel) => channel.address).sort(), [
      'empty@example.com',
      'old@example.com',
    ]);
    assert.deepEqual(kept.data, { from: 'target' });
  });

  test('returns 401 for bad or missing credentials', async () => {
    const wrongKey = `Basic ${Buffer.from(`${DEFAULT_CREDENTIALS.username}:wrong`).toString('base64')}`;

    const wrong = await call(emulator, 'GET', '/api/customers', undefined, wrongKey);
    const wrongToken = await call(emulator, 'GET', '/api/customers', undefined, 'Bearer wrong');
    const missing = await call(emulator, 'GET', '/api/customers', undefined, null);
    const bearer = await call(
      emulator,
      'GET',
      '/api/customers',
      undefined,
      `Bearer ${DEFAULT_CREDENTIALS.accessToken}`,
    );

    assert.equal(wrong.status, 401);
    assert.equal(typeof errorMessage(wrong), 'string');
    assert.equal(wrongToken.status, 401);
    assert.equal(missing.status, 401);
    assert.equal(bearer.status, 200);
  });

  test('seeding endpoint allows duplicate emails', async () => {
    await createCustomer(emulator, 'jane@example.com');

    const seeded = await call(emulator, 'POST', '/_emulator/customers', customerBody('jane@example.com'), null);
    const list = await call(emulator, 'GET', '/api/customers?email=jane%40example.com');

    assert.equal(seeded.status, 201);
    assert.equal((list.body as CustomerPage).data.length, 2);
  });

  test('request log records route templates and statuses', async () => {
    const created = await createCustomer(emulator, 'jane@example.com');
    await call(emulator, 'GET', `/api/customers/${created.id}?relationships=x`);
    await call(emulator, 'GET', '/api/customers', undefined, null);

    const log = await call(emulator, 'GET', '/_emulator/requests', undefined, null);
    const entries = (log.body as { requests: RequestLogEntry[] }).requests;

    assert.deepEqual(
      entries.map((entry) => [entry.method, entry.path, entry.status]),
      [
        ['POST', '/api/customers', 201],
        ['GET', '/api/customers/:id', 200],
        ['GET', '/api/customers', 401],
      ],
    );
    assert.ok(entries.every((entry) => !Number.isNaN(Date.parse(entry.at))));
  });

  test('config endpoint returns 400 naming an invalid field', async () => {
    const response = await call(emulator, 'PUT', '/_emulator/config', { faults: { serverErrorRate: 2 } }, null);

    assert.equal(response.status, 400);
    assert.match(errorMessage(response), /faults\.serverErrorRate/);
  });
});

describe('Gorgias emulator rate limit', () => {
  let emulator: RunningGorgiasEmulator;
  let nowMs = Date.parse('2024-05-01T00:00:00Z');

  before(async () => {
    emulator = await startGorgiasEmulator({ rateLimit: { limit: 4, windowSeconds: 2 }, now: () => nowMs });
  });
  after(async () => {
    await emulator.close();
  });

  async function getStats(): Promise<EmulatorStats> {
    return (await call(emulator, 'GET', '/_emulator/stats', undefined, null)).body as EmulatorStats;
  }

  test('leaky bucket returns 429, then leaks', async () => {
    const usedHeaders: (string | null)[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await call(emulator, 'GET', '/api/customers');
      assert.equal(response.status, 200);
      usedHeaders.push(response.headers.get('x-gorgias-account-api-call-limit'));
    }
    const rejected = await call(emulator, 'GET', '/api/customers');

    assert.deepEqual(usedHeaders, ['1/4', '2/4', '3/4', '4/4']);
    assert.equal(rejected.status, 429);
    assert.equal(rejected.headers.get('retry-after'), '1');
    assert.equal(rejected.headers.get('x-gorgias-account-api-call-limit'), '4/4');

    // The bucket drains 4 requests per 2 s, so one request leaks every 500 ms.
    nowMs += 500;
    const afterOneLeak = await call(emulator, 'GET', '/api/customers');
    nowMs += 2_000;
    const afterDrain = await call(emulator, 'GET', '/api/customers');

    assert.equal(afterOneLeak.status, 200);
    assert.equal(afterOneLeak.headers.get('x-gorgias-account-api-call-limit'), '4/4');
    assert.equal(afterDrain.headers.get('x-gorgias-account-api-call-limit'), '1/4');
  });

  test('stats count requests sent before Retry-After', async () => {
    await call(emulator, 'POST', '/_emulator/reset', undefined, null);
    for (let index = 0; index < 5; index += 1) {
      await call(emulator, 'GET', '/api/customers');
    }

    nowMs += 999;
    const early = await call(emulator, 'GET', '/api/customers');
    nowMs += 1;
    const onTime = await call(emulator, 'GET', '/api/customers');
    const stats = await getStats();

    assert.equal(early.status, 200);
    assert.equal(onTime.status, 200);
    assert.equal(stats.requestsBeforeRetryAfter, 1);
    assert.equal(stats.countsByStatus['429'], 1);
    assert.equal(stats.countsByStatus['200'], 6);
    assert.equal(stats.maxBucketLevel, 4);
  });

  test('admin requests neither count nor carry the call-limit header', async () => {
    await call(emulator, 'POST', '/_emulator/reset', undefined, null);
    for (let index = 0; index < 10; index += 1) {
      await call(emulator, 'GET', '/_emulator/stats', undefined, null);
    }

    const admin = await call(emulator, 'GET', '/_emulator/stats', undefined, null);
    const api = await call(emulator, 'GET', '/api/customers');

    assert.equal(admin.headers.get('x-gorgias-account-api-call-limit'), null);
    assert.equal(api.headers.get('x-gorgias-account-api-call-limit'), '1/4');
    assert.equal((await getStats()).totalRequests, 1);
  });

  test('configure turns the rate limit off', async () => {
    emulator.configure({ rateLimit: null });
    try {
      for (let index = 0; index < 6; index += 1) {
        const response = await call(emulator, 'GET', '/api/customers');
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('x-gorgias-account-api-call-limit'), null);
      }
    } finally {
      emulator.configure({ rateLimit: { limit: 4, windowSeconds: 2 } });
    }
  });
});

describe('Gorgias emulator fault injection', () => {
  let emulator: RunningGorgiasEmulator;
  const draws: number[] = [];
  const options: GorgiasEmulatorOptions = {
    faults: { serverErrorRate: 0.5, latencyMs: 0 },
    random: () => {
      const next = draws.shift();
      assert.ok(next !== undefined, 'the test supplied too few random draws');
      return next;
    },
  };

  before(async () => {
    emulator = await startGorgiasEmulator(options);
  });
  beforeEach(() => {
    draws.length = 0;
  });
  after(async () => {
    await emulator.close();
  });

  test('random draws pick the injected status', async () => {
    // Each request draws once for the fault decision, and a faulted one draws again to pick the status.
    draws.push(0.1, 0.0, 0.7, 0.1, 0.5, 0.1, 0.9);
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      statuses.push((await call(emulator, 'GET', '/api/customers')).status);
    }

    assert.deepEqual(statuses, [500, 200, 502, 503]);
    assert.equal(draws.length, 0);
  });

  test('a faulted create changes nothing', async () => {
    draws.push(0.1, 0.0, 0.9);

    const faulted = await call(emulator, 'POST', '/api/customers', customerBody('jane@example.com'));
    const list = await call(emulator, 'GET', '/api/customers?email=jane%40example.com');

    assert.equal(faulted.status, 500);
    assert.deepEqual((list.body as CustomerPage).data, []);
  });

  test('injected faults appear in the request log', async () => {
    await call(emulator, 'DELETE', '/_emulator/requests', undefined, null);
    draws.push(0.1, 0.0);

    await call(emulator, 'GET', '/api/customers');
    const log = await call(emulator, 'GET', '/_emulator/requests', undefined, null);

    assert.deepEqual(
      (log.body as { requests: RequestLogEntry[] }).requests.map((entry) => entry.status),
      [500],
    );
  });

  test('latency delays each response', async () => {
    emulator.configure({ faults: { serverErrorRate: 0, latencyMs: 80 } });
    try {
      const startedAt = performance.now();
      const response = await call(emulator, 'GET', '/api/customers');

      assert.equal(response.status, 200);
      assert.ok(performance.now() - startedAt >= 75, 'the response came back sooner than latencyMs');
    } finally {
      emulator.configure({ faults: { serverErrorRate: 0.5, latencyMs: 0 } });
    }
  });
});
