import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  DEFAULT_WHIPLASH_CREDENTIALS,
  formatWhiplashTimestamp,
  generateWhiplashOrders,
  startWhiplashEmulator,
  type RunningWhiplashEmulator,
  type WhiplashEmulatorStats,
  type WhiplashRequestLogEntry,
} from '../../src/emulators/whiplash';
import { parseWhiplashOrder } from '../../src/whiplash/parse-order';
import { loadFixture } from '../support/webhook';

type RawOrder = Record<string, unknown>;

const BEARER = `Bearer ${DEFAULT_WHIPLASH_CREDENTIALS.accessToken}`;
const BASE_ORDER = loadFixture<{ order: RawOrder }>('order_created_us_basic.webhook.json').order;
const MULTI_ITEM_ORDER = loadFixture<RawOrder>('order_multi_items_repeated_sku.api.json');

interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends one request to the emulator with the default access token unless `authorization` is given. */
async function call(
  emulator: RunningWhiplashEmulator,
  method: string,
  path: string,
  body?: unknown,
  authorization: string | null = BEARER,
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
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text || null };
}

/** Lists orders with a search object and optional extra query parameters. */
async function search(
  emulator: RunningWhiplashEmulator,
  conditions: Record<string, unknown>,
  extra: Record<string, string> = {},
): Promise<ApiResponse> {
  const query = new URLSearchParams({ search: JSON.stringify(conditions), ...extra });
  return call(emulator, 'GET', `/api/v2/orders?${query}`);
}

/** Ids of the orders a search returns, failing the test unless the status is 200. */
async function searchIds(
  emulator: RunningWhiplashEmulator,
  conditions: Record<string, unknown>,
  extra: Record<string, string> = {},
): Promise<number[]> {
  const response = await search(emulator, conditions, { sort: 'id asc', ...extra });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return (response.body as RawOrder[]).map((order) => order.id as number);
}

function errorMessage(response: ApiResponse): string {
  return (response.body as { message: string }).message;
}

/** The basic fixture order with another id and the given fields. */
function order(id: number, fields: RawOrder = {}): RawOrder {
  return { ...structuredClone(BASE_ORDER), id, humanize_id: String(id), ...fields };
}

describe('Whiplash emulator orders', () => {
  let emulator: RunningWhiplashEmulator;

  before(async () => {
    emulator = await startWhiplashEmulator();
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

  test('eq and not_eq match numbers and text', async () => {
    emulator.state.addOrders([
      order(1, { status: 100, email: 'a@example.com' }),
      order(2, { status: 300, email: 'b@example.com' }),
      order(3, { status: 300, email: 'c@example.com' }),
    ]);

    assert.deepEqual(await searchIds(emulator, { status_eq: 300 }), [2, 3]);
    assert.deepEqual(await searchIds(emulator, { status_eq: '300' }), [2, 3]);
    assert.deepEqual(await searchIds(emulator, { status_not_eq: 300 }), [1]);
    assert.deepEqual(await searchIds(emulator, { email_eq: 'b@example.com' }), [2]);
    assert.deepEqual(await searchIds(emulator, { email_not_eq: 'b@example.com' }), [1, 3]);
    assert.deepEqual(await searchIds(emulator, { id_eq: 3 }), [3]);
  });

  test('timestamps compare as instants', async () => {
    emulator.state.addOrders([
      // 15:00 UTC, 14:30 UTC and 15:00 UTC again, written with three different offsets.
      order(1, { updated_at: '2026-03-02T10:00:00.000-05:00' }),
      order(2, { updated_at: '2026-03-02T14:30:00.000+00:00' }),
      order(3, { updated_at: '2026-03-02T16:00:00.000+01:00' }),
    ]);

    assert.deepEqual(await searchIds(emulator, { updated_at_gteq: '2026-03-02T15:00:00Z' }), [1, 3]);
    assert.deepEqual(await searchIds(emulator, { updated_at_gt: '2026-03-02T15:00:00Z' }), []);
    assert.deepEqual(await searchIds(emulator, { updated_at_lt: '2026-03-02T10:00:00-05:00' }), [2]);
    assert.deepEqual(await searchIds(emulator, { updated_at_lteq: '2026-03-02T10:00:00-05:00' }), [1, 2, 3]);
    assert.deepEqual(await searchIds(emulator, { updated_at_eq: '2026-03-02T15:00:00.000Z' }), [1, 3]);
    assert.deepEqual(
      await searchIds(emulator, { updated_at_gteq: '2026-03-02T14:00:00Z', updated_at_lt: '2026-03-02T15:00:00Z' }),
      [2],
    );
  });

  test('in and not_in match listed values', async () => {
    emulator.state.addOrders([order(1, { status: 100 }), order(2, { status: 300 }), order(3, { status: 40 })]);

    assert.deepEqual(await searchIds(emulator, { status_in: [300, 40] }), [2, 3]);
    assert.deepEqual(await searchIds(emulator, { status_not_in: [300, 40] }), [1]);
    assert.deepEqual(await searchIds(emulator, { id_in: ['1', 3] }), [1, 3]);
  });

  test('cont, not_cont and start ignore case', async () => {
    emulator.state.addOrders([
      order(1, { shipping_name: 'Avery Lindqvist' }),
      order(2, { shipping_name: 'Jordan Okafor' }),
      order(3, { shipping_name: null }),
    ]);

    assert.deepEqual(await searchIds(emulator, { shipping_name_cont: 'LINDQ' }), [1]);
    assert.deepEqual(await searchIds(emulator, { shipping_name_not_cont: 'lindq' }), [2]);
    assert.deepEqual(await searchIds(emulator, { shipping_name_start: 'jor' }), [2]);
  });

  test('nested paths reach originator and lines', async () => {
    const otherShop = order(2, {
      customer_id: 4102,
      originator: { ...(BASE_ORDER.originator as RawOrder), shop_id: 312 },
      order_items: (BASE_ORDER.order_items as RawOrder[]).map((item) => ({
        ...item,
        originator: { ...(item.originator as RawOrder), shop_id: 312 },
      })),
    });
    emulator.state.addOrders([order(1), otherShop, { ...structuredClone(MULTI_ITEM_ORDER), id: 3 }]);

    assert.deepEqual(await searchIds(emulator, { originator_shop_id_eq: 312 }), [2]);
    assert.deepEqual(await searchIds(emulator, { originator_shop_id_not_eq: 312 }), [1, 3]);
    assert.deepEqual(await searchIds(emulator, { customer_id_eq: 4101 }), [1, 3]);
    // The multi-item order's second line is the only NTO-MUG line.
    assert.deepEqual(await searchIds(emulator, { order_items_sku_start: 'NTO-MUG' }), [3]);
    assert.deepEqual(await searchIds(emulator, { order_items_quantity_gteq: 2 }), [3]);
    assert.deepEqual(await searchIds(emulator, { order_items_originator_shop_id_eq: 311 }), [1, 3]);
    assert.deepEqual(await searchIds(emulator, { shipping_method_carrier_eq: 'UPS' }), [3]);
  });

  test('invalid conditions return 422 naming them', async () => {
    emulator.state.addOrders([order(1)]);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ updatd_at_gteq: '2026-03-01T00:00:00Z' }, /Unknown attribute "updatd_at"/],
      [{ updated_at: '2026-03-01T00:00:00Z' }, /Unknown search condition "updated_at"/],
      [{ email_matches: '%example%' }, /_matches, which the Whiplash emulator does not support/],
      [{ status_in: 300 }, /"status_in" needs a JSON array/],
      [{ status_in: [] }, /"status_in" has a blank value/],
      [{ email_eq: '' }, /"email_eq" has a blank value/],
      [{ updated_at_gteq: 'yesterday' }, /"updated_at_gteq": "yesterday" is not an ISO 8601 time/],
      [{ status_eq: 'shipped' }, /"status_eq": "shipped" is not a number/],
      [{ status_cont: '30' }, /_cont applies to text attributes only/],
      [{ tracking_eq: '9400' }, /Unknown attribute "tracking"/],
    ];

    for (const [conditions, pattern] of cases) {
      const response = await search(emulator, conditions);
      assert.equal(response.status, 422, `status for ${JSON.stringify(conditions)}`);
      assert.match(errorMessage(response), pattern);
    }
  });

  test('non-object search returns 400', async () => {
    for (const value of ['not json', '[1,2]', 'null', '"text"']) {
      const response = await call(emulator, 'GET', `/api/v2/orders?search=${encodeURIComponent(value)}`);
      assert.equal(response.status, 400, `status for ${value}`);
      assert.match(errorMessage(response), /search/);
    }
  });

  test('sort applies every key and direction', async () => {
    emulator.state.addOrders([
      order(4, { updated_at: '2026-03-02T10:00:00.000-05:00', created_at: '2026-03-01T08:00:00.000-05:00' }),
      order(2, { updated_at: '2026-03-02T15:00:00.000+00:00', created_at: '2026-03-01T09:00:00.000-05:00' }),
      order(3, { updated_at: '2026-03-02T09:00:00.000-05:00', created_at: '2026-03-01T07:00:00.000-05:00' }),
      order(1, { updated_at: '2026-03-02T10:00:00.000-05:00', created_at: '2026-03-01T06:00:00.000-05:00' }),
    ]);

    assert.deepEqual(await searchIds(emulator, {}, { sort: 'updated_at asc,id asc' }), [3, 1, 2, 4]);
    assert.deepEqual(await searchIds(emulator, {}, { sort: 'updated_at asc,id desc' }), [3, 4, 2, 1]);
    assert.deepEqual(await searchIds(emulator, {}, { sort: 'updated_at desc, id asc' }), [1, 2, 4, 3]);
    assert.deepEqual(await searchIds(emulator, {}, { sort: 'created_at desc' }), [2, 4, 3, 1]);
    assert.deepEqual(await searchIds(emulator, {}, { sort: 'id' }), [1, 2, 3, 4]);
  });

  test('invalid sort returns named error', async () => {
    const unknown = await search(emulator, {}, { sort: 'updated_at asc,nonsense asc' });
    const badDirection = await search(emulator, {}, { sort: 'updated_at upward' });

    assert.equal(unknown.status, 422);
    assert.match(errorMessage(unknown), /Unknown sort field "nonsense"/);
    assert.equal(badDirection.status, 400);
    assert.match(errorMessage(badDirection), /Invalid sort key "updated_at upward"/);
  });

  test('pages end with a short last page', async () => {
    emulator.state.addOrders([1, 2, 3, 4, 5, 6, 7].map((id) => order(id)));

    const pages: number[][] = [];
    for (let page = 1; page <= 4; page += 1) {
      pages.push(await searchIds(emulator, {}, { page: String(page), per_page: '3' }));
    }

    assert.deepEqual(pages, [[1, 2, 3], [4, 5, 6], [7], []]);
  });

  test('per_page default and maximum', async () => {
    emulator.state.addOrders(Array.from({ length: 60 }, (_, index) => order(index + 1)));

    const firstPage = await search(emulator, {});
    const tooLarge = await search(emulator, {}, { per_page: '251' });
    const notANumber = await search(emulator, {}, { page: 'two' });

    assert.equal((firstPage.body as RawOrder[]).length, 50);
    assert.equal(tooLarge.status, 422);
    assert.match(errorMessage(tooLarge), /per_page 251/);
    assert.equal(notANumber.status, 400);
    assert.match(errorMessage(notANumber), /Invalid page/);
  });

  test('unmodelled and repeated parameters return 400', async () => {
    const fields = await search(emulator, {}, { fields: 'id' });
    const repeated = await call(emulator, 'GET', '/api/v2/orders?page=1&page=2');

    assert.equal(fields.status, 400);
    assert.match(errorMessage(fields), /fields is not supported/);
    assert.equal(repeated.status, 400);
    assert.match(errorMessage(repeated), /page must be given once/);
  });

  test('count returns the match count', async () => {
    emulator.state.addOrders([order(1, { status: 100 }), order(2, { status: 300 }), order(3, { status: 300 })]);

    const all = await call(emulator, 'GET', '/api/v2/orders/count');
    const shipped = await call(
      emulator,
      'GET',
      `/api/v2/orders/count?search=${encodeURIComponent('{"status_eq":300}')}`,
    );
    const invalid = await call(emulator, 'GET', `/api/v2/orders/count?search=${encodeURIComponent('{"x_eq":1}')}`);

    assert.deepEqual(all.body, { count: 3 });
    assert.deepEqual(shipped.body, { count: 2 });
    assert.equal(invalid.status, 422);
  });

  test('get by id returns order or 404', async () => {
    emulator.state.addOrders([order(8403117)]);

    const found = await call(emulator, 'GET', '/api/v2/orders/8403117');
    const missing = await call(emulator, 'GET', '/api/v2/orders/1');
    const invalid = await call(emulator, 'GET', '/api/v2/orders/abc');

    assert.equal(found.status, 200);
    assert.deepEqual(found.body, order(8403117));
    assert.equal(missing.status, 404);
    assert.match(errorMessage(missing), /Order 1 not found/);
    assert.equal(invalid.status, 404);
  });

  test('unknown API path returns 404', async () => {
    const response = await call(emulator, 'GET', '/api/v2/shipments');

    assert.equal(response.status, 404);
    assert.match(errorMessage(response), /No route for GET \/api\/v2\/shipments/);
  });
});

describe('Whiplash emulator authentication', () => {
  let emulator: RunningWhiplashEmulator;

  before(async () => {
    emulator = await startWhiplashEmulator({ orders: [order(1)] });
  });
  beforeEach(async () => {
    emulator.configure({ rotateRefreshTokens: false, tokenTtlSeconds: 7200 });
    await call(emulator, 'POST', '/_emulator/reset', undefined, null);
  });
  after(async () => {
    await emulator.close();
  });

  async function refresh(refreshToken: string, encoding: 'form' | 'json' = 'form'): Promise<ApiResponse> {
    const fields = {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: DEFAULT_WHIPLASH_CREDENTIALS.clientId,
      client_secret: DEFAULT_WHIPLASH_CREDENTIALS.clientSecret,
    };
    const response = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: encoding === 'form' ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  test('missing or unknown token returns 401', async () => {
    const missing = await call(emulator, 'GET', '/api/v2/orders', undefined, null);
    const unknown = await call(emulator, 'GET', '/api/v2/orders', undefined, 'Bearer not-a-token');
    const basic = await call(emulator, 'GET', '/api/v2/orders', undefined, 'Basic abc');

    assert.equal(missing.status, 401);
    assert.match(errorMessage(missing), /Authentication required/);
    assert.equal(unknown.status, 401);
    assert.equal(errorMessage(unknown), 'The access token is invalid');
    assert.match(unknown.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(basic.status, 401);
  });

  test('access token expires after its lifetime', async () => {
    const fresh = await call(emulator, 'GET', '/api/v2/orders/1');
    await call(emulator, 'POST', '/_emulator/clock', { advanceSeconds: 7199 }, null);
    const almost = await call(emulator, 'GET', '/api/v2/orders/1');
    await call(emulator, 'POST', '/_emulator/clock', { advanceSeconds: 1 }, null);
    const expired = await call(emulator, 'GET', '/api/v2/orders/1');

    assert.equal(fresh.status, 200);
    assert.equal(almost.status, 200);
    assert.equal(expired.status, 401);
    assert.equal(errorMessage(expired), 'The access token expired');
  });

  test('refresh without rotation keeps refresh token', async () => {
    await call(emulator, 'POST', '/_emulator/tokens/expire', undefined, null);

    const first = await refresh(DEFAULT_WHIPLASH_CREDENTIALS.refreshToken);
    const token = first.body as Record<string, unknown>;
    const withNewToken = await call(
      emulator,
      'GET',
      '/api/v2/orders/1',
      undefined,
      `Bearer ${String(token.access_token)}`,
    );
    const second = await refresh(DEFAULT_WHIPLASH_CREDENTIALS.refreshToken, 'json');

    assert.equal(first.status, 200);
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 7200);
    assert.equal(typeof token.created_at, 'number');
    assert.equal('refresh_token' in token, false);
    assert.notEqual(token.access_token, DEFAULT_WHIPLASH_CREDENTIALS.accessToken);
    assert.equal(withNewToken.status, 200);
    assert.equal(second.status, 200);
  });

  test('rotation invalidates the used refresh token', async () => {
    emulator.configure({ rotateRefreshTokens: true, tokenTtlSeconds: 60 });

    const first = await refresh(DEFAULT_WHIPLASH_CREDENTIALS.refreshToken, 'json');
    const token = first.body as Record<string, unknown>;
    const reused = await refresh(DEFAULT_WHIPLASH_CREDENTIALS.refreshToken);
    const rotated = await refresh(String(token.refresh_token));
    const stats = (await call(emulator, 'GET', '/_emulator/stats', undefined, null)).body as WhiplashEmulatorStats;

    assert.equal(first.status, 200);
    assert.equal(token.expires_in, 60);
    assert.equal(typeof token.refresh_token, 'string');
    assert.notEqual(token.refresh_token, DEFAULT_WHIPLASH_CREDENTIALS.refreshToken);
    assert.equal(reused.status, 400);
    assert.equal((reused.body as { error: string }).error, 'invalid_grant');
    assert.equal(rotated.status, 200);
    assert.equal(stats.tokenRefreshes, 2);
  });

  test('token endpoint rejects wrong client or grant', async () => {
    const wrongClient = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: DEFAULT_WHIPLASH_CREDENTIALS.refreshToken,
        client_id: DEFAULT_WHIPLASH_CREDENTIALS.clientId,
        client_secret: 'wrong',
      }).toString(),
    });
    const wrongGrant = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password' }),
    });

    assert.equal(wrongClient.status, 401);
    assert.equal(((await wrongClient.json()) as { error: string }).error, 'invalid_client');
    assert.equal(wrongGrant.status, 400);
    assert.equal(((await wrongGrant.json()) as { error: string }).error, 'unsupported_grant_type');
  });
});

describe('Whiplash emulator rate limit', () => {
  let emulator: RunningWhiplashEmulator;
  let nowMs = Date.parse('2026-03-02T12:00:00Z');

  before(async () => {
    emulator = await startWhiplashEmulator({ orders: [order(1)], rateLimitPerSecond: 3, now: () => nowMs });
  });
  after(async () => {
    await emulator.close();
  });

  async function getStats(): Promise<WhiplashEmulatorStats> {
    return (await call(emulator, 'GET', '/_emulator/stats', undefined, null)).body as WhiplashEmulatorStats;
  }

  test('429 has no Retry-After and is counted', async () => {
    const responses: ApiResponse[] = [];
    for (let index = 0; index < 5; index += 1) {
      responses.push(await call(emulator, 'GET', '/api/v2/orders'));
    }
    const stats = await getStats();

    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200, 200, 429, 429],
    );
    const rejected = responses[3]!;
    assert.equal(rejected.headers.get('retry-after'), null);
    assert.deepEqual(
      [...rejected.headers.keys()].filter((name) => name.includes('ratelimit') || name.includes('rate-limit')),
      [],
    );
    assert.match(errorMessage(rejected), /3 requests per second/);
    assert.equal(stats.rateLimitedRequests, 2);
    assert.equal(stats.countsByStatus['429'], 2);
    assert.equal(stats.maxRequestsInOneSecond, 5);
  });

  test('window rolls forward after one second', async () => {
    nowMs += 999;
    const stillLimited = await call(emulator, 'GET', '/api/v2/orders');
    nowMs += 1;
    const allowed = await call(emulator, 'GET', '/api/v2/orders');

    assert.equal(stillLimited.status, 429);
    assert.equal(allowed.status, 200);
  });

  test('per-second maximum counts every arrival', async () => {
    emulator.configure({ rateLimitPerSecond: null });
    await call(emulator, 'DELETE', '/_emulator/requests', undefined, null);

    for (let index = 0; index < 4; index += 1) {
      await call(emulator, 'GET', '/api/v2/orders');
      nowMs += 400;
    }
    const stats = await getStats();

    // Arrivals at 0, 400, 800 and 1200 ms: at most three fall within one second.
    assert.equal(stats.maxRequestsInOneSecond, 3);
    assert.equal(stats.rateLimitedRequests, 0);
    assert.equal(stats.totalRequests, 4);
  });
});

describe('Whiplash emulator admin routes', () => {
  let emulator: RunningWhiplashEmulator;
  const nowMs = Date.parse('2026-03-10T17:30:00Z');

  before(async () => {
    emulator = await startWhiplashEmulator({ now: () => nowMs, rateLimitPerSecond: null });
  });
  beforeEach(async () => {
    await call(emulator, 'POST', '/_emulator/reset', undefined, null);
  });
  after(async () => {
    await emulator.close();
  });

  test('edit merges fields and bumps updated_at', async () => {
    emulator.state.addOrders([order(5, { status: 100, updated_at: '2026-03-02T10:00:00.000-05:00' })]);

    const edited = await call(emulator, 'PATCH', '/_emulator/orders/5', { shipping_city: 'Duluth', status: 300 }, null);
    const body = edited.body as RawOrder;
    const found = await searchIds(emulator, { updated_at_gteq: '2026-03-10T17:30:00Z' });

    assert.equal(edited.status, 200);
    assert.equal(body.shipping_city, 'Duluth');
    assert.equal(body.status_name, 'Shipped');
    assert.equal(body.previous_status, 100);
    assert.equal(body.updated_at, '2026-03-10T12:30:00.000-05:00');
    assert.equal(body.email, BASE_ORDER.email);
    assert.deepEqual(found, [5]);
  });

  test('edit of an unknown order returns 404', async () => {
    const response = await call(emulator, 'PATCH', '/_emulator/orders/77', { status: 300 }, null);

    assert.equal(response.status, 404);
    assert.throws(() => emulator.state.editOrder(77, {}), RangeError);
  });

  test('POST orders adds and replaces by id', async () => {
    const first = await call(emulator, 'POST', '/_emulator/orders', [order(1), order(2)], null);
    const second = await call(emulator, 'POST', '/_emulator/orders', [order(2, { status: 300 }), order(3)], null);
    const invalid = await call(emulator, 'POST', '/_emulator/orders', [order(4), { status: 300 }], null);
    const listed = await call(emulator, 'GET', '/_emulator/orders', undefined, null);

    assert.deepEqual(first.body, { created: 2, replaced: 0 });
    assert.deepEqual(second.body, { created: 1, replaced: 1 });
    assert.equal(invalid.status, 400);
    assert.match(errorMessage(invalid), /Order 1 must be a JSON object with a positive integer id/);
    const orders = (listed.body as { orders: RawOrder[] }).orders;
    assert.deepEqual(
      orders.map((stored) => [stored.id, stored.status]),
      [
        [1, 100],
        [2, 300],
        [3, 100],
      ],
    );
  });

  test('generate continues after the highest id', async () => {
    emulator.state.addOrders([order(9_500_000)]);

    const response = await call(
      emulator,
      'POST',
      '/_emulator/orders/generate',
      { count: 10, consumers: 4, stores: 2, seed: 3 },
      null,
    );
    const invalid = await call(emulator, 'POST', '/_emulator/orders/generate', { count: 10, consumers: 0 }, null);

    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { created: 10, firstId: 9_500_001, lastId: 9_500_010 });
    assert.equal(emulator.state.listOrders().length, 11);
    assert.equal(invalid.status, 400);
    assert.match(errorMessage(invalid), /consumers/);
  });

  test('request log records route templates and statuses', async () => {
    emulator.state.addOrders([order(1)]);
    await call(emulator, 'GET', '/api/v2/orders/1');
    await call(emulator, 'GET', '/api/v2/orders/count');
    await call(emulator, 'GET', '/api/v2/orders?page=1', undefined, null);
    await call(emulator, 'GET', '/_emulator/stats', undefined, null);

    const log = await call(emulator, 'GET', '/_emulator/requests', undefined, null);
    const entries = (log.body as { requests: WhiplashRequestLogEntry[] }).requests;

    assert.deepEqual(
      entries.map((entry) => [entry.method, entry.path, entry.status]),
      [
        ['GET', '/api/v2/orders/:id', 200],
        ['GET', '/api/v2/orders/count', 200],
        ['GET', '/api/v2/orders', 401],
      ],
    );
    assert.ok(entries.every((entry) => entry.at === new Date(nowMs).toISOString()));
  });

  test('config endpoint returns 400 naming an invalid field', async () => {
    const invalid = await call(emulator, 'PUT', '/_emulator/config', { faults: { serverErrorRate: 2 } }, null);
    const valid = await call(emulator, 'PUT', '/_emulator/config', { rateLimitPerSecond: 4 }, null);

    assert.equal(invalid.status, 400);
    assert.match(errorMessage(invalid), /faults\.serverErrorRate/);
    assert.equal((valid.body as { rateLimitPerSecond: number }).rateLimitPerSecond, 4);
    emulator.configure({ rateLimitPerSecond: null });
  });

  test('injected faults return 5xx', async () => {
    emulator.state.addOrders([order(1)]);
    emulator.configure({ faults: { serverErrorRate: 1 } });
    try {
      const statuses = new Set<number>();
      for (let index = 0; index < 12; index += 1) {
        statuses.add((await call(emulator, 'GET', '/api/v2/orders/1')).status);
      }
      assert.ok(
        [...statuses].every((status) => [500, 502, 503].includes(status)),
        [...statuses].join(', '),
      );
    } finally {
      emulator.configure({ faults: { serverErrorRate: 0 } });
    }
  });
});

describe('generateWhiplashOrders', () => {
  const options = {
    count: 60,
    consumers: 30,
    stores: 3,
    seed: 7,
    updatedFrom: '2026-02-01T00:00:00Z',
    updatedTo: '2026-02-02T00:00:00Z',
  };

  test('same seed gives the same orders', () => {
    const first = generateWhiplashOrders(options);
    const second = generateWhiplashOrders(options);
    const otherSeed = generateWhiplashOrders({ ...options, seed: 8 });

    assert.deepEqual(first, second);
    assert.notDeepEqual(first, otherSeed);
  });

  test('orders match fixture fields and parse', () => {
    const fixture = loadFixture<{ order: RawOrder }>('order_shipped_us_basic_tracking.webhook.json').order;
    const orders = generateWhiplashOrders(options);

    for (const generated of orders) {
      assert.deepEqual(Object.keys(generated), Object.keys(fixture));
      const item = (generated.order_items as RawOrder[])[0]!;
      assert.deepEqual(Object.keys(item), Object.keys((fixture.order_items as RawOrder[])[0]!));
      assert.deepEqual(Object.keys(generated.originator as RawOrder), Object.keys(fixture.originator as RawOrder));
      const result = parseWhiplashOrder(generated, { eventName: 'backfill', source: 'backfill' });
      assert.equal(result.ok, true, JSON.stringify(result));
    }
  });

  test('generated data spreads as configured', () => {
    const orders = generateWhiplashOrders(options);
    const fromMs = Date.parse(options.updatedFrom);
    const toMs = Date.parse(options.updatedTo);

    assert.equal(new Set(orders.map((generated) => generated.email)).size, 30);
    assert.ok(orders.every((generated) => /^consumer-\d+@example\.com$/.test(String(generated.email))));
    assert.deepEqual(
      orders.map((generated) => generated.id),
      Array.from({ length: 60 }, (_, index) => 9_000_001 + index),
    );
    const stores = new Set(
      orders.map((generated) => {
        const originator = generated.originator as RawOrder;
        return `${String(generated.customer_id)} ${String(originator.shop_id)} ${String(originator.shop_domain)}`;
      }),
    );
    assert.deepEqual([...stores].sort(), [
      '4101 311 north-trail-example.myshopify.com',
      '4102 312 harbor-light-example.myshopify.com',
      '4103 313 copper-kettle-example.myshopify.com',
    ]);
    for (const generated of orders) {
      const updatedMs = Date.parse(String(generated.updated_at));
      assert.ok(updatedMs >= fromMs, `updated_at ${String(generated.updated_at)} is before updatedFrom`);
      assert.ok(updatedMs < toMs, `updated_at ${String(generated.updated_at)} is not before updatedTo`);
      assert.ok(Date.parse(String(generated.created_at)) <= updatedMs);
      assert.match(String(generated.updated_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000-05:00$/);
    }
  });

  test('invalid options throw a TypeError naming the option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ count: -1 }, /count/],
      [{ consumers: 0 }, /consumers/],
      [{ stores: 1.5 }, /stores/],
      [{ updatedFrom: 'soon' }, /updatedFrom/],
      [{ updatedTo: options.updatedFrom }, /updatedTo/],
    ];
    for (const [override, pattern] of cases) {
      assert.throws(
        () => generateWhiplashOrders({ ...options, ...override } as typeof options),
        (err: unknown) => err instanceof TypeError && pattern.test(err.message),
        `expected a TypeError matching ${pattern} for ${JSON.stringify(override)}`,
      );
    }
  });

  test('timestamps carry the Eastern offset', () => {
    assert.equal(formatWhiplashTimestamp(Date.parse('2026-03-13T15:39:21Z')), '2026-03-13T10:39:21.000-05:00');
  });
});
