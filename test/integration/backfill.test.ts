import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { generateWhiplashOrders } from '../../src/emulators/whiplash';
import { orderStateQuery } from '../../workflows/definitions';
import { runCli, stackEnv } from '../support/cli';
import { emulatorStats, widgetOf } from '../support/gorgias-state';
import { eventually, startStack, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

// The Gorgias emulator allows 40 requests per 4 s, Gorgias's API-key budget on a 5-times shorter window. The
// worker may spend twice that, as when another integration shares the account, so it meets 429s and must wait
// out each Retry-After.
const GORGIAS_LIMIT = { limit: 40, windowSeconds: 4 };
const ORDERS = 60;
const CONSUMERS = 30;

describe('npm run backfill', () => {
  let stack: Stack;
  let dataDir: string;
  let env: Record<string, string>;
  const since = '2026-01-01T00:00:00Z';

  before(async () => {
    stack = await startStack({ gorgiasBudgetPer20s: 400 });
    stack.emulator.configure({ rateLimit: GORGIAS_LIMIT });
    dataDir = mkdtempSync(path.join(tmpdir(), 'backfill-'));
    env = stackEnv(stack, dataDir);
    stack.whiplash.state.addOrders(
      generateWhiplashOrders({
        count: ORDERS,
        consumers: CONSUMERS,
        stores: 3,
        seed: 7,
        updatedFrom: '2026-02-01T00:00:00Z',
        updatedTo: '2026-02-02T00:00:00Z',
      }),
    );
  });
  after(async () => {
    await stack?.stop();
  });

  test('syncs every order within the Gorgias budget while webhooks keep flowing', async () => {
    const running = runCli('backfill', ['--since', since, '--concurrency', '8'], env);
    // A live webhook during the backfill is processed as usual.
    const live = await postWebhook(stack.apiUrl, loadFixture('order_created_us_basic.webhook.json'));
    assert.equal(live.status, 202);
    const result = await running;

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`sent\\s+${ORDERS}\\b`));
    assert.match(result.stdout, /rejected\s+0\b/);
    const orders = stack.whiplash.state.listOrders();
    await eventually(
      async () => {
        for (const order of orders) {
          const state = await stack.client.workflow.getHandle(`whiplash-order-${order.id}`).query(orderStateQuery);
          assert.equal(state.syncState, 'synced', `order ${order.id} is ${state.syncState}`);
        }
      },
      120_000,
      500,
    );
    const stats = await emulatorStats(stack);
    assert.ok((stats.countsByStatus['429'] ?? 0) > 0, 'the backfill met the rate limit');
    assert.equal(stats.requestsBeforeRetryAfter, 0, 'no request came sooner than Retry-After');
    // The checks below read Gorgias too, and must not meet the limit themselves.
    stack.emulator.configure({ rateLimit: null });

    const { widget } = await widgetOf(stack, 'avery.lindqvist@example.com');
    assert.equal(widget.orders[0]?.order_number, '#NTO1042');
    const emails = new Set(orders.map((order) => String(order.email).toLowerCase()));
    assert.equal(emails.size, CONSUMERS);
    for (const email of emails) {
      const { widget: consumerWidget } = await widgetOf(stack, email);
      const expected = orders.filter((order) => String(order.email).toLowerCase() === email).length;
      assert.equal(consumerWidget.orders.length, expected, `orders of ${email}`);
    }
  });

  test('running it again finds every order unchanged', async () => {
    const result = await runCli('backfill', ['--since', since], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /sent\s+0\b/);
    assert.match(result.stdout, new RegExp(`unchanged\\s+${ORDERS}\\b`));
  });

  test('dry run lists what it would send and sends nothing', async () => {
    const fresh = { ...loadFixture<{ order: Record<string, unknown> }>('order_created_us_basic.webhook.json').order };
    const file = path.join(dataDir, 'one.json');
    writeFileSync(file, JSON.stringify([{ ...fresh, id: 7_000_001 }]));

    const result = await runCli('backfill', ['--file', file, '--dry-run'], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /would send\s+order 7000001: #NTO1042 Processing/);
    await assert.rejects(stack.client.workflow.getHandle('whiplash-order-7000001').describe(), WorkflowNotFoundError);
  });

  test('a file with a bad line reports the rejection and exits 1', async () => {
    const base = loadFixture<{ order: Record<string, unknown> }>('order_created_us_basic.webhook.json').order;
    const lines = [
      JSON.stringify({ ...base, id: 7_000_002 }),
      'this is not json',
      JSON.stringify({ ...base, id: 7_000_003, email: null }),
    ];
    const file = path.join(dataDir, 'orders.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const result = await runCli('backfill', ['--file', file], env);

    assert.equal(result.code, 1);
    assert.match(result.stdout, /sent\s+1\b/);
    assert.match(result.stdout, /rejected\s+2\b/);
    assert.match(result.stdout, /order null: order: .*Received "this is not json"/);
    assert.match(result.stdout, /order 7000003: order\.email: email is missing/);
  });

  test('an interrupted run resumes from its checkpoint', async () => {
    const base = loadFixture<{ order: Record<string, unknown> }>('order_created_us_basic.webhook.json').order;
    const orders = Array.from({ length: 150 }, (_, index) => ({
      ...base,
      id: 7_100_000 + index,
      email: `resume-${index % 10}@example.com`,
    }));
    const file = path.join(dataDir, 'resume.json');
    writeFileSync(file, JSON.stringify(orders));
    const checkpoint = path.join(dataDir, 'resume-checkpoint.json');
    const args = ['--file', file, '--concurrency', '1', '--checkpoint', checkpoint];

    const first = await runCli('backfill', args, env, (child) => {
      const timer = setInterval(() => {
        if (!existsSync(checkpoint)) return;
        clearInterval(timer);
        child.kill('SIGINT');
      }, 20);
    });
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stdout, /Backfill interrupted/);
    assert.ok(existsSync(checkpoint), 'the checkpoint stays for the next run');

    const second = await runCli('backfill', args, env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Resuming from .*resume-checkpoint\.json: \d+ orders were handled before/);
    const sent = Number(/sent\s+(\d+)/.exec(second.stdout)?.[1]);
    const unchanged = Number(/unchanged\s+(\d+)/.exec(second.stdout)?.[1]);
    assert.equal(sent + unchanged, 150, second.stdout);
    assert.ok(!existsSync(checkpoint), 'a finished backfill removes its checkpoint');
    for (const order of orders) {
      await stack.client.workflow.getHandle(`whiplash-order-${order.id}`).describe();
    }
  });

  test('--help describes every option', async () => {
    const result = await runCli('backfill', ['--help'], env);
    assert.equal(result.code, 0);
    for (const option of ['--since', '--until', '--status', '--store', '--file', '--dry-run', '--checkpoint']) {
      assert.ok(result.stdout.includes(option), `--help mentions ${option}`);
    }
  });

  test('bad arguments name the option and exit 2', async () => {
    const result = await runCli('backfill', ['--since', 'yesterday-ish'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--since must be an ISO 8601 time .* got yesterday-ish/);
  });
});
