import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { listen, stopHttpServer } from '../../src/http-server';
import { logger } from '../../src/logger';
import { buildOrderWorkflowInput } from '../../src/sync/send-order-event';
import { startDevServer } from '../../src/temporal-cli/dev-server';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { eventually, startStack, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

/** Sums the Prometheus samples of `name` whose labels include `labels`, or returns 0 when none match. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  const expected = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const total = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => expected.every((pair) => line.includes(pair)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return total;
}

async function getText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('health, readiness and metrics', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  test('API and worker report ready', async () => {
    for (const base of [stack.apiUrl, stack.workerUrl]) {
      assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200, `${base}/readyz`);
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, 'ready');
      assert.equal(body.checks.temporal, 'ok');
    }
  });

  test('API metrics count webhook traffic', async () => {
    const order = loadFixture('order_created_us_basic.webhook.json');
    assert.equal((await postWebhook(stack.apiUrl, order)).status, 202);
    assert.equal((await postWebhook(stack.apiUrl, order, { signature: 'f'.repeat(64) })).status, 401);
    assert.equal((await postWebhook(stack.apiUrl, order, { signature: null })).status, 401);
    assert.equal((await postWebhook(stack.apiUrl, { event_name: 'item.updated', item: {} })).status, 200);
    assert.equal((await fetch(`${stack.apiUrl}/no/such/path/123`)).status, 404);

    const { status, text } = await getText(`${stack.apiUrl}/metrics`);
    assert.equal(status, 200);
    const webhook = { route: '/webhooks/whiplash', method: 'POST' };
    assert.equal(metric(text, 'http_requests_total', { ...webhook, status: '202' }), 1);
    assert.equal(metric(text, 'http_requests_total', { ...webhook, status: '401' }), 2);
    assert.equal(metric(text, 'http_requests_total', { route: 'unmatched', status: '404' }), 1);
    assert.equal(metric(text, 'whiplash_webhook_signature_failures_total', { reason: 'mismatch' }), 1);
    assert.equal(metric(text, 'whiplash_webhook_signature_failures_total', { reason: 'missing-header' }), 1);
    assert.equal(metric(text, 'whiplash_webhook_deliveries_total', { outcome: 'accepted' }), 1);
    assert.equal(metric(text, 'whiplash_webhook_deliveries_total', { outcome: 'ignored' }), 1);
    assert.equal(metric(text, 'http_request_duration_seconds_count', webhook), 4);
    assert.ok(metric(text, 'process_resident_memory_bytes') > 0);
    assert.ok(!text.includes('/no/such/path'), 'an unknown path must not become a label');
  });

  test('worker metrics include Gorgias and SDK', async () => {
    const text = await eventually(async () => {
      const current = (await getText(`${stack.workerUrl}/metrics`)).text;
      const writes = { method: 'PUT', route: '/api/customers/:id/data', status: '202' };
      assert.equal(metric(current, 'gorgias_requests_total', writes), 1);
      return current;
    });
    assert.equal(metric(text, 'gorgias_requests_total', { method: 'POST', route: '/api/customers', status: '201' }), 1);
    assert.ok(metric(text, 'gorgias_request_duration_seconds_count') >= 3);
    assert.ok(metric(text, 'temporal_workflow_task_execution_latency_count') > 0, 'SDK workflow task metrics');
    assert.ok(metric(text, 'temporal_activity_execution_latency_count') > 0, 'SDK activity metrics');
  });
});

describe('when Temporal cannot be reached', () => {
  let apiUrl: string;
  let closeApi: () => Promise<void>;

  before(async () => {
    const server = await startDevServer({
      cliPath: ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH),
    });
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const app = createApp({
      logger: logger.child({}, { level: 'silent' }),
      maxBodyBytes: 1_000_000,
      webhookSecrets: [WEBHOOK_SECRET],
      temporalTimeoutMs: 1000,
      target: {
        client,
        taskQueue: 'unreachable',
        input: buildOrderWorkflowInput('test', 'unreachable-gorgias', {
          settlePeriodMs: 60_000,
          debounceWindowMs: 0,
          idleTimeoutMs: 60_000,
          maxWidgetOrders: 20,
        }),
      },
    });
    const api = await listen(app, 0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${api.port}`;
    assert.equal((await fetch(`${apiUrl}/readyz`)).status, 200);
    await server.stop();
    closeApi = async () => {
      await stopHttpServer(api.server, 1000);
      await client.connection.close();
    };
  });
  after(async () => {
    await closeApi?.();
  });

  test('valid webhook gets 503 with Retry-After', async () => {
    const response = await postWebhook(apiUrl, loadFixture('order_created_us_basic.webhook.json'));

    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '30');
    assert.match(((await response.json()) as { error: string }).error, /unavailable/);
  });

  test('bad input still gets its 4xx', async () => {
    const order = loadFixture('order_created_us_basic.webhook.json');
    assert.equal((await postWebhook(apiUrl, order, { signature: null })).status, 401);
    assert.equal((await postWebhook(apiUrl, null, { raw: '{"event_name":' })).status, 400);
    assert.equal((await postWebhook(apiUrl, { event_name: 'order.created', order: {} })).status, 422);
  });

  test('readyz fails while healthz passes', async () => {
    const ready = await fetch(`${apiUrl}/readyz`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    assert.equal(body.status, 'not ready');
    assert.notEqual(body.checks.temporal, 'ok');
    assert.equal((await fetch(`${apiUrl}/healthz`)).status, 200);
  });
});
