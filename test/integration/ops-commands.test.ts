import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { orderStateQuery } from '../../workflows/definitions';
import { runCli, stackEnv } from '../support/cli';
import { countDataWrites } from '../support/gorgias-state';
import { eventually, startStack, type Stack } from '../support/stack';
import { asWebhook, loadFixture, postWebhook } from '../support/webhook';

describe('npm run ops', () => {
  let stack: Stack;
  let env: Record<string, string>;

  async function syncState(orderId: number): Promise<string> {
    return (await stack.client.workflow.getHandle(`whiplash-order-${orderId}`).query(orderStateQuery)).syncState;
  }

  before(async () => {
    stack = await startStack({ debounceWindowMs: 50 });
    env = stackEnv(stack, mkdtempSync(path.join(tmpdir(), 'ops-')));
    assert.equal((await postWebhook(stack.apiUrl, loadFixture('order_created_us_basic.webhook.json'))).status, 202);
    await eventually(async () => assert.equal(await syncState(8403117), 'synced'));
  });
  after(async () => {
    await stack?.stop();
  });

  test('order prints the workflow state', async () => {
    const result = await runCli('ops', ['order', '8403117'], env);

    assert.equal(result.code, 0, result.stderr);
    const state = JSON.parse(result.stdout) as {
      workflowId: string;
      syncState: string;
      latest: { orderNumber: string };
    };
    assert.equal(state.workflowId, 'whiplash-order-8403117');
    assert.equal(state.syncState, 'synced');
    assert.equal(state.latest.orderNumber, '#NTO1042');
  });

  test('order of an unknown id exits 1', async () => {
    const result = await runCli('ops', ['order', '999999'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No workflow whiplash-order-999999/);
  });

  test('customer lists the workflows of an email', async () => {
    const result = await runCli('ops', ['customer', '  Avery.Lindqvist@Example.com '], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^whiplash-order-8403117 {2}orderWorkflow {2}RUNNING {2}sync synced {2}#NTO1042/m);
    assert.match(result.stdout, /^gorgias-customer-test-\w+ {2}customerWorkflow {2}RUNNING {2}sync synced/m);
    assert.match(result.stdout, /Gorgias customer \d+; orders: #NTO1042 \(Processing\)/);
  });

  test('resync-order makes the workflow write Gorgias again', async () => {
    const writes = await countDataWrites(stack);

    const result = await runCli('ops', ['resync-order', '8403117'], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Sent retrySync to whiplash-order-8403117/);
    await eventually(async () => assert.equal(await countDataWrites(stack), writes + 1));
  });

  test('resync-order of an order Temporal does not hold reads it from Whiplash', async () => {
    const order = {
      ...loadFixture<{ order: Record<string, unknown> }>('order_shipped_us_basic_tracking.webhook.json').order,
      id: 8500001,
    };
    stack.whiplash.state.addOrders([order]);

    const result = await runCli('ops', ['resync-order', '8500001'], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /was not running; sent the order from the Whiplash API/);
    await eventually(async () => assert.equal(await syncState(8500001), 'synced'));
  });

  test('resync-failed retries the workflows whose sync failed', async () => {
    stack.emulator.configure({ faults: { rejectWithStatus: 403 } });
    const order = { ...loadFixture<{ order: Record<string, unknown> }>('order_require_signature.webhook.json').order };
    assert.equal((await postWebhook(stack.apiUrl, asWebhook(order))).status, 202);
    const orderId = Number(order.id);
    await eventually(async () => {
      const found = await stack.client.workflow.count(`SyncState = 'failed' AND ExecutionStatus = 'Running'`);
      assert.ok(found.count >= 1);
      assert.equal(await syncState(orderId), 'failed');
    });

    const dryRun = await runCli('ops', ['resync-failed', '--dry-run'], env);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, new RegExp(`would signal {2}whiplash-order-${orderId}`));
    assert.equal(await syncState(orderId), 'failed');

    stack.emulator.configure({ faults: { rejectWithStatus: null } });
    const result = await runCli('ops', ['resync-failed'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`signalled {2}whiplash-order-${orderId}`));
    await eventually(async () => assert.equal(await syncState(orderId), 'synced'));
  });

  test('--help explains each command', async () => {
    const overview = await runCli('ops', ['--help'], env);
    assert.equal(overview.code, 0);
    for (const command of ['order', 'customer', 'resync-order', 'resync-failed']) {
      assert.ok(overview.stdout.includes(command), `overview names ${command}`);
      const help = await runCli('ops', [command, '--help'], env);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^Usage: npm run ops -- ${command}`));
    }
  });
});
