import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inspect } from 'node:util';

import {
  DEFAULT_WHIPLASH_CREDENTIALS,
  generateWhiplashOrders,
  startWhiplashEmulator,
  type RunningWhiplashEmulator,
  type WhiplashEmulatorStats,
  type WhiplashRequestLogEntry,
} from '../../src/emulators/whiplash';
import { createLogger, logger as serviceLogger } from '../../src/logger';
import {
  buildOrderSearch,
  createWhiplashClient,
  isRetryableWhiplashError,
  WhiplashApiError,
  WhiplashNetworkError,
  WhiplashResponseError,
  type OrderPage,
  type OrderQuery,
  type WhiplashAuth,
  type WhiplashClient,
  type WhiplashClientOptions,
} from '../../src/whiplash/api-client';
import { parseWhiplashTimestamp } from '../../src/whiplash/order-schema';

type RawOrder = Record<string, unknown>;

const SILENT = serviceLogger.child({}, { level: 'silent' });
const ORDER_COUNT = 237;
// 237 orders over two minutes: many share an `updated_at` second, so the id tie-break decides their order.
const GENERATED = generateWhiplashOrders({
  count: ORDER_COUNT,
  consumers: 80,
  stores: 3,
  seed: 11,
  updatedFrom: '2026-03-02T15:00:00Z',
  updatedTo: '2026-03-02T15:02:00Z',
});

function clientFor(baseUrl: string, extra: Partial<WhiplashClientOptions> = {}): WhiplashClient {
  return createWhiplashClient({ baseUrl, auth: { ...DEFAULT_WHIPLASH_CREDENTIALS }, logger: SILENT, ...extra });
}

async function listAll(client: WhiplashClient, query: OrderQuery, startPage?: number): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  for await (const page of client.listOrderPages(query, { startPage })) {
    pages.push(page);
  }
  return pages;
}

function idsOf(pages: OrderPage[]): number[] {
  return pages.flatMap((page) => page.orders.map((order) => (order as RawOrder).id as number));
}

/** Sorts orders the way the client asks Whiplash to: by `updated_at` as an instant, then by id. */
function sortedIds(orders: RawOrder[]): number[] {
  return orders
    .map((order) => ({ id: order.id as number, updatedMs: parseWhiplashTimestamp(String(order.updated_at)) ?? 0 }))
    .sort((a, b) => a.updatedMs - b.updatedMs || a.id - b.id)
    .map((order) => order.id);
}

async function statsOf(emulator: RunningWhiplashEmulator): Promise<WhiplashEmulatorStats> {
  const response = await fetch(`${emulator.url}/_emulator/stats`);
  return (await response.json()) as WhiplashEmulatorStats;
}

async function requestsOf(emulator: RunningWhiplashEmulator): Promise<WhiplashRequestLogEntry[]> {
  const response = await fetch(`${emulator.url}/_emulator/requests`);
  return ((await response.json()) as { requests: WhiplashRequestLogEntry[] }).requests;
}

async function resetEmulator(emulator: RunningWhiplashEmulator): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  assert.equal(response.status, 204);
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

/** Starts a loopback server for behaviour the emulator does not produce. */
async function startStubServer(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function sendJson(res: Parameters<RequestListener>[1], status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('Whiplash client against the emulator', () => {
  let emulator: RunningWhiplashEmulator;
  let client: WhiplashClient;

  before(async () => {
    // Added in reverse, so that orders with the same updated_at are stored against id order and only the
    // client's id tie-break puts them back in order.
    emulator = await startWhiplashEmulator({ orders: [...GENERATED].reverse() });
    client = clientFor(emulator.url);
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
  });
  after(async () => {
    await emulator.close();
  });

  test('listing returns every order sorted', async () => {
    const pages = await listAll(client, {});
    const ids = idsOf(pages);

    assert.deepEqual(
      pages.map((page) => [page.page, page.orders.length]),
      [
        [1, 50],
        [2, 50],
        [3, 50],
        [4, 50],
        [5, 37],
      ],
    );
    assert.equal(new Set(ids).size, ORDER_COUNT);
    assert.deepEqual(ids, sortedIds(GENERATED));
    const tiedSeconds = GENERATED.length - new Set(GENERATED.map((order) => order.updated_at)).size;
    assert.ok(tiedSeconds > 50, `only ${tiedSeconds} orders share an updated_at`);
  });

  test('listing sends documented query and headers', async () => {
    const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const { url, server } = await startStubServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      sendJson(res, 200, []);
    });
    try {
      await listAll(clientFor(url), { statuses: [300] });
    } finally {
      await stopServer(server);
    }

    const request = new URL(seen[0]?.url ?? '', url);
    assert.equal(seen.length, 1);
    assert.equal(request.pathname, '/api/v2/orders');
    assert.deepEqual(JSON.parse(request.searchParams.get('search') ?? ''), { status_in: [300] });
    assert.equal(request.searchParams.get('sort'), 'updated_at asc,id asc');
    assert.equal(request.searchParams.get('page'), '1');
    assert.equal(request.searchParams.get('per_page'), '50');
    assert.equal(seen[0]?.headers.authorization, `Bearer ${DEFAULT_WHIPLASH_CREDENTIALS.accessToken}`);
    assert.equal(seen[0]?.headers.accept, 'application/json');
    assert.equal(seen[0]?.headers['accept-version'], 'v2');
  });

  test('window, status and shop filters', async () => {
    const since = new Date('2026-03-02T15:00:30Z');
    const until = new Date('2026-03-02T15:01:30Z');
    const query: OrderQuery = { updatedSince: since, updatedUntil: until, statuses: [100, 300], shopId: 312 };

    const ids = idsOf(await listAll(client, query));
    const expected = GENERATED.filter((order) => {
      const updatedMs = parseWhiplashTimestamp(String(order.updated_at)) ?? 0;
      const shopId = (order.originator as RawOrder).shop_id;
      return (
        updatedMs >= since.getTime() &&
        updatedMs < until.getTime() &&
        [100, 300].includes(order.status as number) &&
        shopId === 312
      );
    });

    assert.ok(expected.length > 5, `only ${expected.length} orders match`);
    assert.deepEqual(ids, sortedIds(expected));
    assert.equal(await client.countOrders(query), expected.length);
  });

  test('customerId filter selects one account', async () => {
    const ids = idsOf(await listAll(client, { customerId: 4101, perPage: 100 }));

    assert.deepEqual(ids, sortedIds(GENERATED.filter((order) => order.customer_id === 4101)));
  });

  test('search replaces an inferred predicate', async () => {
    const count = await client.countOrders({ shopId: 311, search: { originator_shop_id_eq: 313 } });

    assert.equal(count, GENERATED.filter((order) => (order.originator as RawOrder).shop_id === 313).length);
  });

  test('startPage resumes a listing', async () => {
    const all = idsOf(await listAll(client, {}));
    const resumed = await listAll(client, {}, 4);

    assert.deepEqual(
      resumed.map((page) => page.page),
      [4, 5],
    );
    assert.deepEqual(idsOf(resumed), all.slice(150));
  });

  test('listing stops after an empty page', async () => {
    emulator.state.addOrders([]);
    const pages = await listAll(client, { perPage: 79 });

    // 237 orders are exactly three pages of 79, so a fourth, empty page ends the listing.
    assert.deepEqual(
      pages.map((page) => page.orders.length),
      [79, 79, 79],
    );
    assert.equal((await requestsOf(emulator)).length, 4);
  });

  test('getOrder returns order or 404', async () => {
    const first = GENERATED[0]!;

    const fetched = await client.getOrder(first.id as number);
    const err = await rejectionOf(client.getOrder(1));

    assert.deepEqual(fetched, first);
    assert.ok(err instanceof WhiplashApiError);
    assert.equal(err.status, 404);
    assert.equal(err.path, '/api/v2/orders/1');
    assert.equal(isRetryableWhiplashError(err), false);
  });

  test('invalid search 422 is not retried', async () => {
    const err = await rejectionOf(client.countOrders({ search: { updatd_at_gteq: '2026-03-01T00:00:00Z' } }));

    assert.ok(err instanceof WhiplashApiError);
    assert.equal(err.status, 422);
    assert.match(err.message, /Whiplash GET \/api\/v2\/orders\/count failed with 422: Unknown attribute "updatd_at"/);
    assert.doesNotMatch(err.message, /search=/);
    assert.equal((await requestsOf(emulator)).length, 1);
  });
});

describe('Whiplash client token refresh', () => {
  let emulator: RunningWhiplashEmulator;

  before(async () => {
    emulator = await startWhiplashEmulator({ orders: GENERATED.slice(0, 10) });
  });
  beforeEach(async () => {
    emulator.configure({ rotateRefreshTokens: false });
    await resetEmulator(emulator);
  });
  after(async () => {
    await emulator.close();
  });

  async function countTokenRequests(): Promise<WhiplashRequestLogEntry[]> {
    return (await requestsOf(emulator)).filter((entry) => entry.path === '/oauth/token');
  }

  test('concurrent 401s share one refresh', async () => {
    const refreshed: WhiplashAuth[] = [];
    const client = clientFor(emulator.url, { onTokenRefreshed: (auth) => refreshed.push(auth) });
    emulator.state.tokens.expireAccessTokens();

    const counts = await Promise.all([client.countOrders({}), client.countOrders({}), client.countOrders({})]);
    const afterRefresh = await client.countOrders({});

    assert.deepEqual(counts, [10, 10, 10]);
    assert.equal(afterRefresh, 10);
    assert.deepEqual(
      (await countTokenRequests()).map((entry) => entry.status),
      [200],
    );
    assert.equal(refreshed.length, 1);
    assert.notEqual(refreshed[0]?.accessToken, DEFAULT_WHIPLASH_CREDENTIALS.accessToken);
    assert.equal(refreshed[0]?.refreshToken, DEFAULT_WHIPLASH_CREDENTIALS.refreshToken);
  });

  test('onTokenRefreshed gets rotated tokens', async () => {
    emulator.configure({ rotateRefreshTokens: true });
    const refreshed: WhiplashAuth[] = [];
    const client = clientFor(emulator.url, { onTokenRefreshed: (auth) => refreshed.push(auth) });

    emulator.state.tokens.expireAccessTokens();
    await client.countOrders({});
    emulator.state.tokens.expireAccessTokens();
    // The default refresh token is used up, so this succeeds only with the rotated one.
    await client.countOrders({});

    assert.equal(refreshed.length, 2);
    assert.notEqual(refreshed[0]?.refreshToken, DEFAULT_WHIPLASH_CREDENTIALS.refreshToken);
    assert.notEqual(refreshed[1]?.refreshToken, refreshed[0]?.refreshToken);
    assert.equal(refreshed[1]?.clientId, DEFAULT_WHIPLASH_CREDENTIALS.clientId);
    assert.equal(emulator.state.tokens.check(refreshed[1]?.accessToken ?? ''), 'valid');
  });

  test('persisted tokens work in new client', async () => {
    emulator.configure({ rotateRefreshTokens: true });
    let saved: WhiplashAuth | null = null;
    const first = clientFor(emulator.url, { onTokenRefreshed: (auth) => (saved = auth) });
    emulator.state.tokens.expireAccessTokens();
    await first.countOrders({});

    assert.ok(saved);
    const second = clientFor(emulator.url, { auth: saved });
    assert.equal(await second.countOrders({}), 10);
    assert.equal((await countTokenRequests()).length, 1);
  });

  test('empty access token is refreshed first', async () => {
    const client = clientFor(emulator.url, { auth: { ...DEFAULT_WHIPLASH_CREDENTIALS, accessToken: '' } });

    assert.equal(await client.countOrders({}), 10);
    assert.deepEqual(
      (await requestsOf(emulator)).map((entry) => [entry.path, entry.status]),
      [
        ['/oauth/token', 200],
        ['/api/v2/orders/count', 200],
      ],
    );
  });

  test('401 without refresh names variables', async () => {
    const token = 'stale-token-4f9a1c';
    const client = clientFor(emulator.url, { auth: { accessToken: token } });

    const err = await rejectionOf(client.countOrders({}));

    assert.ok(err instanceof WhiplashApiError);
    assert.equal(err.status, 401);
    assert.equal(err.whiplashMessage, 'The access token is invalid');
    assert.match(err.message, /WHIPLASH_ACCESS_TOKEN/);
    assert.match(err.message, /WHIPLASH_REFRESH_TOKEN/);
    assert.equal(err.request.headers.authorization, '[redacted]');
    assert.doesNotMatch(inspect(err, { depth: 5 }), new RegExp(token));
    assert.doesNotMatch(JSON.stringify(err), new RegExp(token));
    assert.equal((await countTokenRequests()).length, 0);
  });

  test('rejected refresh token names the variables', async () => {
    const refreshToken = 'revoked-refresh-77d2';
    const client = clientFor(emulator.url, { auth: { ...DEFAULT_WHIPLASH_CREDENTIALS, refreshToken } });
    emulator.state.tokens.expireAccessTokens();

    const err = await rejectionOf(client.countOrders({}));

    assert.ok(err instanceof WhiplashApiError);
    assert.equal(err.status, 400);
    assert.equal(err.path, '/oauth/token');
    assert.match(err.message, /WHIPLASH_REFRESH_TOKEN/);
    assert.doesNotMatch(inspect(err, { depth: 5 }), new RegExp(refreshToken));
    assert.doesNotMatch(inspect(err, { depth: 5 }), new RegExp(DEFAULT_WHIPLASH_CREDENTIALS.clientSecret));
  });

  test('refreshed token rejected gives 401', async () => {
    let tokenRequests = 0;
    const { url, server } = await startStubServer((req, res) => {
      if (req.url === '/oauth/token') {
        tokenRequests += 1;
        sendJson(res, 200, { access_token: 'new-token', token_type: 'bearer', expires_in: 7200, created_at: 1 });
        return;
      }
      sendJson(res, 401, { message: 'Unauthorized' });
    });
    try {
      const err = await rejectionOf(clientFor(url).countOrders({}));

      assert.ok(err instanceof WhiplashApiError);
      assert.equal(err.status, 401);
      assert.match(err.message, /rejected the freshly issued access token/);
      assert.equal(tokenRequests, 1);
    } finally {
      await stopServer(server);
    }
  });
});

describe('Whiplash client retries and pace', () => {
  test('listing completes despite 429s', async () => {
    const emulator = await startWhiplashEmulator({ orders: GENERATED, rateLimitPerSecond: 2 });
    try {
      const client = clientFor(emulator.url, { requestsPerSecond: 20 });

      const ids = idsOf(await listAll(client, {}));
      const stats = await statsOf(emulator);

      assert.deepEqual(ids, sortedIds(GENERATED));
      assert.ok(stats.rateLimitedRequests > 0, 'the emulator never returned 429');
      assert.equal(stats.countsByStatus['200'], 5);
    } finally {
      await emulator.close();
    }
  });

  test('pace caps requests per second', async () => {
    const emulator = await startWhiplashEmulator({ orders: GENERATED, rateLimitPerSecond: null });
    try {
      const client = clientFor(emulator.url, { requestsPerSecond: 5 });

      // One listing of 12 pages and three counts at the same time share the client's pace.
      const [pages, ...counts] = await Promise.all([
        listAll(client, { perPage: 20 }),
        client.countOrders({}),
        client.countOrders({ statuses: [300] }),
        client.countOrders({ shopId: 311 }),
      ]);
      const stats = await statsOf(emulator);

      assert.equal(idsOf(pages).length, ORDER_COUNT);
      assert.equal(counts[0], ORDER_COUNT);
      assert.equal(stats.totalRequests, 15);
      assert.ok(stats.maxRequestsInOneSecond <= 5, `${stats.maxRequestsInOneSecond} requests arrived in one second`);
      assert.equal(stats.maxRequestsInOneSecond, 5);
    } finally {
      await emulator.close();
    }
  });

  test('5xx retried and logged without token', async () => {
    const lines: string[] = [];
    const capture = createLogger({ write: (line: string) => void lines.push(line) });
    // A fixed sequence: pass, 500, 502 with its HTML body, pass, 503, then again from the start.
    const sequence = [0.9, 0.1, 0.0, 0.3, 0.5, 0.9, 0.2, 0.8];
    let draws = 0;
    const random = (): number => sequence[draws++ % sequence.length] ?? 0.9;
    const emulator = await startWhiplashEmulator({ orders: GENERATED, faults: { serverErrorRate: 0.4 }, random });
    try {
      const client = clientFor(emulator.url, { retryBaseDelayMs: 5, logger: capture });

      const ids = idsOf(await listAll(client, {}));
      const stats = await statsOf(emulator);
      const failures = Object.entries(stats.countsByStatus)
        .filter(([status]) => Number(status) >= 500)
        .reduce((sum, [, count]) => sum + count, 0);

      assert.deepEqual(ids, sortedIds(GENERATED));
      assert.ok(failures >= 3, `the emulator injected ${failures} failures`);
      assert.ok(['500', '502', '503'].every((status) => (stats.countsByStatus[status] ?? 0) > 0));
      const retries = lines.filter((line) => line.includes('Whiplash request failed; retrying'));
      assert.equal(retries.length, failures);
      assert.ok(retries.every((line) => line.includes('"route":"/api/v2/orders"')));
      assert.ok(lines.every((line) => !line.includes(DEFAULT_WHIPLASH_CREDENTIALS.accessToken)));
    } finally {
      await emulator.close();
    }
  });

  test('5xx after maxRetries throws', async () => {
    let requests = 0;
    const { url, server } = await startStubServer((_req, res) => {
      requests += 1;
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    try {
      const err = await rejectionOf(clientFor(url, { maxRetries: 2, retryBaseDelayMs: 1 }).getOrder(5));

      assert.ok(err instanceof WhiplashApiError);
      assert.equal(err.status, 502);
      assert.equal(err.whiplashMessage, null);
      assert.match(err.message, /failed with 502: Bad Gateway\. Gave up after 2 retries/);
      assert.equal(isRetryableWhiplashError(err), true);
      assert.equal(requests, 3);
    } finally {
      await stopServer(server);
    }
  });

  test('Retry-After replaces the backoff delay', async () => {
    let requests = 0;
    const { url, server } = await startStubServer((_req, res) => {
      requests += 1;
      if (requests === 1) {
        sendJson(res, 429, { error: 'Too many requests' }, { 'retry-after': '0' });
        return;
      }
      sendJson(res, 200, { count: 3 });
    });
    try {
      // A backoff of 10 minutes would time the test out, so finishing proves that Retry-After was used.
      const count = await clientFor(url, { retryBaseDelayMs: 600_000 }).countOrders({});

      assert.equal(count, 3);
      assert.equal(requests, 2);
    } finally {
      await stopServer(server);
    }
  });

  test('long Retry-After throws without waiting', async () => {
    let requests = 0;
    const { url, server } = await startStubServer((_req, res) => {
      requests += 1;
      sendJson(res, 429, { message: 'Too many requests' }, { 'retry-after': '3600' });
    });
    try {
      const err = await rejectionOf(clientFor(url).countOrders({}));

      assert.ok(err instanceof WhiplashApiError);
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterMs, 3_600_000);
      assert.match(err.message, /asked to wait 3600 s \(Retry-After\)/);
      assert.equal(requests, 1);
    } finally {
      await stopServer(server);
    }
  });

  test('dropped connections are retried', async () => {
    let requests = 0;
    const { url, server } = await startStubServer((req, res) => {
      requests += 1;
      if (requests <= 2) {
        req.socket.destroy();
        return;
      }
      sendJson(res, 200, { count: 4 });
    });
    try {
      assert.equal(await clientFor(url, { retryBaseDelayMs: 1 }).countOrders({}), 4);
      assert.equal(requests, 3);
    } finally {
      await stopServer(server);
    }
  });

  test('closed port gives a network error', async () => {
    const { url, server } = await startStubServer(() => undefined);
    await stopServer(server);
    const token = 'network-token-91be';

    const err = await rejectionOf(
      clientFor(url, { auth: { accessToken: token }, maxRetries: 1, retryBaseDelayMs: 1 }).countOrders({}),
    );

    assert.ok(err instanceof WhiplashNetworkError);
    assert.equal(err.timedOut, false);
    assert.match(err.message, /ECONNREFUSED/);
    assert.equal(isRetryableWhiplashError(err), true);
    assert.doesNotMatch(inspect(err, { depth: 5 }), new RegExp(token));
  });

  test('abort during backoff rejects with reason', async () => {
    const { url, server } = await startStubServer((_req, res) => sendJson(res, 503, { message: 'Unavailable' }));
    try {
      const controller = new AbortController();
      const reason = new Error('stopped by the test');
      const call = clientFor(url, { retryBaseDelayMs: 600_000 }).countOrders({}, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 50);

      assert.equal(await rejectionOf(call), reason);
    } finally {
      await stopServer(server);
    }
  });
});

describe('Whiplash client response checks', () => {
  test('non-array listing body is rejected', async () => {
    const { url, server } = await startStubServer((_req, res) => sendJson(res, 200, { orders: [] }));
    try {
      const err = await rejectionOf(listAll(clientFor(url), {}));

      assert.ok(err instanceof WhiplashResponseError);
      assert.match(err.message, /expected a JSON array of orders/);
    } finally {
      await stopServer(server);
    }
  });

  test('repeated page is rejected', async () => {
    const { url, server } = await startStubServer((_req, res) => sendJson(res, 200, [{ id: 1 }, { id: 2 }]));
    try {
      const err = await rejectionOf(listAll(clientFor(url), { perPage: 2 }));

      assert.ok(err instanceof WhiplashResponseError);
      assert.match(err.message, /page 2 repeats page 1/);
    } finally {
      await stopServer(server);
    }
  });

  test('count without a number is rejected', async () => {
    const { url, server } = await startStubServer((_req, res) => sendJson(res, 200, { total: 5 }));
    try {
      const err = await rejectionOf(clientFor(url).countOrders({}));

      assert.ok(err instanceof WhiplashResponseError);
      assert.match(err.message, /count is not a non-negative integer/);
    } finally {
      await stopServer(server);
    }
  });
});

describe('Whiplash client options and queries', () => {
  const auth = { accessToken: 'token' };

  test('invalid options throw a TypeError naming the option', () => {
    const cases: [Partial<WhiplashClientOptions>, RegExp][] = [
      [{ baseUrl: 'not a url' }, /baseUrl/],
      [{ baseUrl: 'ftp://www.getwhiplash.com' }, /baseUrl must use http or https/],
      [{ baseUrl: 'https://user:pass@www.getwhiplash.com' }, /baseUrl must not contain credentials/],
      [
        { baseUrl: 'https://www.getwhiplash.com/api/v2' },
        /must not end in \/api\/v2.*https:\/\/www\.getwhiplash\.com$/,
      ],
      [{ auth: { accessToken: ' ' } }, /WHIPLASH_ACCESS_TOKEN/],
      [{ auth: { accessToken: '', refreshToken: 'refresh' } }, /auth\.clientId and auth\.clientSecret are missing/],
      [{ auth: { accessToken: 'a', refreshToken: 'r', clientId: 'c' } }, /auth\.clientSecret is missing/],
      [{ requestsPerSecond: 0 }, /requestsPerSecond/],
      [{ timeoutMs: -1 }, /timeoutMs/],
      [{ maxRetries: 1.5 }, /maxRetries/],
    ];
    for (const [override, pattern] of cases) {
      assert.throws(
        () => createWhiplashClient({ baseUrl: 'https://www.getwhiplash.com', auth, ...override }),
        (err: unknown) => err instanceof TypeError && pattern.test(err.message),
        `expected a TypeError matching ${pattern} for ${JSON.stringify(override)}`,
      );
    }
  });

  test('buildOrderSearch maps fields to predicates', () => {
    const search = buildOrderSearch({
      updatedSince: new Date('2026-03-01T00:00:00-05:00'),
      updatedUntil: new Date('2026-03-02T00:00:00-05:00'),
      statuses: [100, 300],
      shopId: 311,
      customerId: 4101,
      search: { customer_id_eq: 4102, order_items_sku_start: 'NTO' },
    });

    assert.deepEqual(search, {
      updated_at_gteq: '2026-03-01T05:00:00.000Z',
      updated_at_lt: '2026-03-02T05:00:00.000Z',
      status_in: [100, 300],
      originator_shop_id_eq: 311,
      customer_id_eq: 4102,
      order_items_sku_start: 'NTO',
    });
    assert.deepEqual(buildOrderSearch({}), {});
  });

  test('buildOrderSearch rejects invalid values', () => {
    const cases: [OrderQuery, RegExp][] = [
      [{ updatedSince: new Date('nonsense') }, /updatedSince must be a valid Date/],
      [{ updatedSince: new Date('2026-03-02T00:00:00Z'), updatedUntil: new Date('2026-03-01T00:00:00Z') }, /after/],
      [{ statuses: [] }, /statuses must not be empty/],
      [{ statuses: [1.5] }, /statuses must contain status codes/],
      [{ shopId: 0 }, /shopId must be a positive integer/],
      [{ search: [] as unknown as Record<string, unknown> }, /search must be an object/],
    ];
    for (const [query, pattern] of cases) {
      assert.throws(() => buildOrderSearch(query), pattern, `query ${inspect(query)}`);
    }
  });

  test('listing validates arguments before requesting', () => {
    const client = createWhiplashClient({ baseUrl: 'http://127.0.0.1:9', auth, logger: SILENT });

    assert.throws(() => client.listOrderPages({ perPage: 0 }), /perPage must be a positive integer/);
    assert.throws(() => client.listOrderPages({}, { startPage: -1 }), /startPage must be a positive integer/);
  });
});
