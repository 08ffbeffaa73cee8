import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EMULATOR_AUTH } from '../../src/config';
import { createLogger } from '../../src/logger';
import { orderStateQuery } from '../../workflows/definitions';
import { createSeededRandom } from '../../src/emulators/seeded-random';
import { emulatorStats } from '../support/gorgias-state';
import { eventually, startStack, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { allFixtureWebhooks, asWebhook, loadFixture, postWebhook } from '../support/webhook';

// Fields of a Whiplash order that hold a person's data.
const PERSONAL_FIELD =
  /^(email|first_name|last_name|full_name|(shipping|billing|return)_(name|email|phone|address_[123]))$/;

/** Collects the personal values in fixtures, such as emails, names, phones and street lines. */
function personalValues(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((item) => personalValues(item, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === 'string' && PERSONAL_FIELD.test(key) && field.trim().length >= 4) {
        found.add(field.trim().toLowerCase());
      } else {
        personalValues(field, found);
      }
    }
  }
  return found;
}

describe('log of a full run', () => {
  const lines: string[] = [];
  let stack: Stack;

  before(async () => {
    const logger = createLogger({ write: (line: string) => void lines.push(line) });
    logger.level = 'trace';
    stack = await startStack({ logger, debounceWindowMs: 100, gorgiasRandom: createSeededRandom(7) });
  });
  after(async () => {
    await stack?.stop();
  });

  test('trace log holds no personal data', async () => {
    const webhooks = allFixtureWebhooks();
    // Some Gorgias calls fail and are retried, so failure messages are logged too.
    stack.emulator.configure({ faults: { serverErrorRate: 0.3 } });

    const workflowIds = new Set<string>();
    for (const { name, body } of webhooks) {
      const response = await postWebhook(stack.apiUrl, body);
      assert.equal(response.status, 202, `${name} was not accepted`);
      workflowIds.add(((await response.json()) as { workflowId: string }).workflowId);
    }
    const sample = loadFixture('order_created_us_basic.webhook.json');
    assert.equal((await postWebhook(stack.apiUrl, sample, { signature: '0'.repeat(64) })).status, 401);
    const unusable = asWebhook({ ...(sample.order as object), id: 'not-a-number' });
    assert.equal((await postWebhook(stack.apiUrl, unusable)).status, 422);

    // Faults last a few seconds only: a long run of failures would back off for minutes.
    await eventually(async () => {
      const stats = await emulatorStats(stack);
      const serverErrors = Object.entries(stats.countsByStatus).filter(([status]) => status.startsWith('5'));
      assert.ok(serverErrors.length > 0, 'the emulator injected server errors');
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stack.emulator.configure({ faults: { serverErrorRate: 0 } });

    for (const workflowId of workflowIds) {
      await eventually(async () => {
        const state = await stack.client.workflow.getHandle(workflowId).query(orderStateQuery);
        assert.equal(state.syncState, 'synced', `${workflowId} is not synced yet`);
      }, 60_000);
    }
    // The SDK forwards its log lines in batches every 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const log = lines.join('').toLowerCase();
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(records.some((record) => record.msg === 'Accepted webhook event' && record.requestId));
    assert.ok(
      records.some((record) => record.msg === 'Wrote Gorgias widget data' && record.workflowId),
      'activity lines carry the workflow id',
    );
    assert.ok(records.some((record) => record.sdkComponent === 'workflow' && record.workflowId));
    assert.ok(!log.includes('tasktoken'), 'activity task tokens complete activities, so they stay out of the log');

    const secrets = [WEBHOOK_SECRET, EMULATOR_AUTH.apiKey, 'ZGV2QGV4YW1wbGUuY29tOmRldi1hcGkta2V5'];
    const values = [...personalValues(webhooks.map((webhook) => webhook.body)), ...secrets];
    assert.ok(values.length > 20, `expected many personal values in the fixtures, found ${values.length}`);
    const leaked = values.filter((value) => log.includes(value.toLowerCase()));
    assert.deepEqual(leaked, [], `the log holds ${leaked.length} personal or secret values`);
  });
});
