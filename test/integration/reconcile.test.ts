import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureReconcileSchedule, readReconcileWatermark } from '../../src/reconcile/schedule';
import { widgetOf } from '../support/gorgias-state';
import { eventually, startStack, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

describe('reconcile schedule', () => {
  let stack: Stack;
  const scheduleId = `reconcile-${Math.random().toString(36).slice(2, 8)}`;
  const settings = () => ({
    scheduleId,
    intervalMs: 3_600_000,
    overlapMs: 60_000,
    taskQueue: stack.taskQueue,
    order: stack.input,
  });

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    await stack?.stop();
  });

  test('brings an order edited without a webhook to Gorgias in one run', async () => {
    const body = loadFixture<{ order: Record<string, unknown> }>('order_created_us_basic.webhook.json');
    stack.whiplash.state.addOrders([body.order]);
    assert.equal((await postWebhook(stack.apiUrl, body)).status, 202);
    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'avery.lindqvist@example.com');
      assert.equal(widget.address.address1, '418 Larkspur Lane');
    });

    // Whiplash fires no webhook for an address edit.
    stack.whiplash.state.editOrder(Number(body.order.id), { shipping_address_1: '77 Juniper Court' });
    assert.equal(await ensureReconcileSchedule(stack.client, settings()), 'created');
    await stack.client.schedule.getHandle(scheduleId).trigger();

    await eventually(async () => {
      const { widget } = await widgetOf(stack, 'avery.lindqvist@example.com');
      assert.equal(widget.address.address1, '77 Juniper Court');
    }, 30_000);
    const watermark = await eventually(async () => {
      const value = await readReconcileWatermark(stack.client, scheduleId);
      assert.ok(value !== null, 'the run recorded its watermark');
      return value;
    });
    assert.ok(Date.parse(watermark) <= Date.now());
  });

  test('setup again updates the schedule and keeps the watermark', async () => {
    const before = await readReconcileWatermark(stack.client, scheduleId);

    assert.equal(await ensureReconcileSchedule(stack.client, { ...settings(), intervalMs: 1_800_000 }), 'updated');

    assert.equal(await readReconcileWatermark(stack.client, scheduleId), before);
    const description = await stack.client.schedule.getHandle(scheduleId).describe();
    assert.deepEqual(
      description.spec.intervals?.map((interval) => interval.every),
      [1_800_000],
    );
    const ids: string[] = [];
    for await (const schedule of stack.client.schedule.list()) ids.push(schedule.scheduleId);
    assert.equal(ids.filter((id) => id === scheduleId).length, 1);
  });

  test('a second run skips the orders it already synced', async () => {
    const handle = stack.client.schedule.getHandle(scheduleId);
    const runsBefore = (await handle.describe()).info.recentActions.length;
    await handle.trigger();

    const run = await eventually(async () => {
      const { info } = await handle.describe();
      assert.equal(info.recentActions.length, runsBefore + 1);
      return info.recentActions.at(-1)!;
    });
    const result = (await stack.client.workflow
      .getHandle(run.action.workflow.workflowId, run.action.workflow.firstExecutionRunId)
      .result()) as { sent: number; unchanged: number };
    assert.equal(result.sent, 0);
    assert.equal(result.unchanged, 1);
  });
});
