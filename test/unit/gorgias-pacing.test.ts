import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { createGorgiasClient, type GorgiasClientOptions, type GorgiasResponseInfo } from '../../src/gorgias';
import { maxInWindow } from '../support/windows';

/** One request as the stub server saw it. */
interface Arrival {
  path: string;
  atMs: number;
}

/** Counts the arrivals in the busiest window `[t, t + windowMs)` that starts at an arrival. */
function maxArrivalsInWindow(arrivals: Arrival[], windowMs: number): number {
  return maxInWindow(
    arrivals.map((arrival) => arrival.atMs),
    windowMs,
  );
}

function describeArrivals(arrivals: Arrival[]): string {
  const first = arrivals[0]?.atMs ?? 0;
  return arrivals.map((arrival) => `${arrival.path} at +${(arrival.atMs - first).toFixed(0)} ms`).join(', ');
}

/** Resolves once the server has seen `count` requests. */
async function waitForArrivals(arrivals: Arrival[], count: number): Promise<void> {
  while (arrivals.length < count) {
    await delay(5);
  }
}

describe('Gorgias client request budget', () => {
  let server: Server;
  let baseUrl: string;
  const arrivals: Arrival[] = [];

  before(async () => {
    server = createServer((req, res) => {
      arrivals.push({ path: req.url ?? '', atMs: performance.now() });
      const id = Number(/\/api\/customers\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, email: null, name: null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    arrivals.length = 0;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function pacedClient(extra: Partial<GorgiasClientOptions> = {}) {
    return createGorgiasClient({
      baseUrl,
      auth: { type: 'oauth', accessToken: 'token' },
      requestBudget: { requests: 3, windowMs: 300 },
      ...extra,
    });
  }

  test('no window holds more than the budget', async () => {
    const client = pacedClient();

    const customers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((id) => client.getCustomer(id)));

    assert.deepEqual(
      customers.map((customer) => customer.id),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(arrivals.length, 7);
    const busiest = maxArrivalsInWindow(arrivals, 300);
    assert.ok(busiest <= 3, `${busiest} requests arrived within 300 ms: ${describeArrivals(arrivals)}`);
    assert.equal(busiest, 3, `the first 3 requests start together: ${describeArrivals(arrivals)}`);
  });

  test('aborted wait rejects without using a slot', async () => {
    const responses: GorgiasResponseInfo[] = [];
    const client = pacedClient({
      requestBudget: { requests: 2, windowMs: 300 },
      onResponse: (info) => responses.push(info),
    });
    const controller = new AbortController();
    const reason = new Error('activity cancelled');

    const first = [client.getCustomer(1), client.getCustomer(2)];
    await waitForArrivals(arrivals, 2);
    const aborted = client.getCustomer(3, { signal: controller.signal });
    const queued = [client.getCustomer(4), client.getCustomer(5)];
    // Lets call 3 reach the pacer's wait, so that the abort ends a wait and not the start of the call.
    await delay(20);
    controller.abort(reason);

    await assert.rejects(aborted, (err) => err === reason);
    await Promise.all([...first, ...queued]);
    assert.deepEqual(
      arrivals.map((arrival) => arrival.path),
      ['/api/customers/1', '/api/customers/2', '/api/customers/4', '/api/customers/5'],
    );
    assert.equal(responses.length, 4, 'the aborted call reports no response');
    // Had the aborted call taken a slot, request 5 would wait a further window after request 4.
    const second = arrivals.slice(2);
    assert.equal(maxArrivalsInWindow(second, 300), 2, `requests 4 and 5 share a window: ${describeArrivals(arrivals)}`);
  });

  test('already aborted signal sends nothing', async () => {
    const client = pacedClient();
    const reason = new Error('cancelled before the call');

    await assert.rejects(client.getCustomer(1, { signal: AbortSignal.abort(reason) }), (err) => err === reason);

    assert.equal(arrivals.length, 0);
  });

  test('wait does not count toward timeoutMs', async () => {
    // The second request waits a whole window, which is longer than the timeout.
    const client = pacedClient({ requestBudget: { requests: 1, windowMs: 300 }, timeoutMs: 200 });

    const customers = await Promise.all([client.getCustomer(1), client.getCustomer(2)]);

    assert.deepEqual(
      customers.map((customer) => customer.id),
      [1, 2],
    );
    assert.equal(arrivals.length, 2);
  });

  test('without a budget requests start at once', async () => {
    const client = pacedClient({ requestBudget: undefined });

    await Promise.all([1, 2, 3, 4, 5].map((id) => client.getCustomer(id)));

    assert.equal(arrivals.length, 5);
    assert.equal(maxArrivalsInWindow(arrivals, 300), 5, describeArrivals(arrivals));
  });
});
