import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createGorgiasActivities } from '../../activities';
import { GorgiasFailureType } from '../../activities/gorgias-failure-types';
import { EMULATOR_AUTH } from '../../src/config';
import { startGorgiasEmulator, type RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { createGorgiasClient, type GorgiasClient } from '../../src/gorgias';

const EMAIL = 'jordan.reyes@example.com';

/** Runs `fn` and returns the ApplicationFailure it throws, failing the test if it throws anything else. */
async function failureOf(fn: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the activity to fail');
}

type AsyncFunction = (...args: never[]) => Promise<unknown>;

describe('Gorgias activities against the emulator', () => {
  let emulator: RunningGorgiasEmulator;
  let client: GorgiasClient;
  let env: MockActivityEnvironment;

  before(async () => {
    emulator = await startGorgiasEmulator();
    client = createGorgiasClient({ baseUrl: emulator.url, auth: EMULATOR_AUTH });
  });
  beforeEach(async () => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    emulator.configure({ rateLimit: null });
    // Activity failures are expected here; the default logger would print each one.
    env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  });
  after(async () => {
    await emulator?.close();
  });

  /** Runs an activity in the mock activity context, keeping its return type. */
  function run<F extends AsyncFunction>(fn: F, ...args: Parameters<F>): ReturnType<F> {
    return env.run(fn, ...args) as ReturnType<F>;
  }

  test('creates a customer that does not exist', async () => {
    const activities = createGorgiasActivities(client);
    const input = { email: EMAIL, name: 'Jordan Reyes', phone: '555-0100' };

    const first = await run(activities.findOrCreateGorgiasCustomer, input);
    const second = await run(activities.findOrCreateGorgiasCustomer, input);

    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.customerId, first.customerId);
    assert.equal(second.phone, '555-0100');
    assert.equal((await client.listCustomersByEmail(EMAIL)).length, 1);
  });

  test('reads the customer again after a 409 on create', async () => {
    const existing = await client.createCustomer({ email: EMAIL, name: 'Jordan Reyes', phone: null });
    // The first look-up misses, as when another writer creates the customer between look-up and create.
    let lookups = 0;
    const racing: GorgiasClient = {
      ...client,
      listCustomersByEmail: async (email, options) =>
        lookups++ === 0 ? [] : client.listCustomersByEmail(email, options),
    };

    const resolved = await run(createGorgiasActivities(racing).findOrCreateGorgiasCustomer, {
      email: EMAIL,
      name: 'Jordan Reyes',
      phone: null,
    });

    assert.equal(resolved.customerId, existing.id);
    assert.equal(resolved.created, false);
    assert.equal(lookups, 2);
  });

  test('returns stored widget data and other integrations keys', async () => {
    const existing = await client.createCustomer({ email: EMAIL, name: null, phone: null });
    await client.setCustomerData(existing.id, { loyalty: { points: 3 } }, '2026-01-01T00:00:00.000Z');

    const resolved = await run(createGorgiasActivities(client).findOrCreateGorgiasCustomer, {
      email: EMAIL,
      name: null,
      phone: null,
    });

    assert.deepEqual(resolved.stored.foreignData, { loyalty: { points: 3 } });
  });

  test('updates the profile only when something changed', async () => {
    const existing = await client.createCustomer({ email: EMAIL, name: 'Old Name', phone: '555-0100' });
    const activities = createGorgiasActivities(client);

    const changed = await run(activities.updateGorgiasCustomerProfile, {
      customerId: existing.id,
      email: EMAIL,
      name: 'New Name',
      phone: '555-0199',
    });
    const unchanged = await run(activities.updateGorgiasCustomerProfile, {
      customerId: existing.id,
      email: EMAIL,
      name: 'New Name',
      phone: '555-0199',
    });

    assert.deepEqual(changed, { updated: true });
    assert.deepEqual(unchanged, { updated: false });
    const customer = await client.getCustomer(existing.id);
    assert.equal(customer.name, 'New Name');
    const channels = (customer.channels ?? []).map((channel) => `${channel.type}:${channel.address}`).sort();
    assert.deepEqual(channels, [`email:${EMAIL}`, 'phone:555-0199']);
  });

  test('reports an unknown customer as not found', async () => {
    const write = createGorgiasActivities(client).writeGorgiasWidgetData;

    const failure = await failureOf(() =>
      run(write, { customerId: 999_999, data: {}, version: '2026-01-01T00:00:00.000Z' }),
    );

    assert.equal(failure.type, GorgiasFailureType.customerNotFound);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /404/);
  });

  test('fails without retry when Gorgias rejects a request', async () => {
    emulator.configure({ faults: { rejectWithStatus: 403 } });
    try {
      const failure = await failureOf(() =>
        run(createGorgiasActivities(client).findOrCreateGorgiasCustomer, { email: EMAIL, name: null, phone: null }),
      );

      assert.equal(failure.type, GorgiasFailureType.requestRejected);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /403/);
    } finally {
      emulator.configure({ faults: { rejectWithStatus: null } });
    }
  });

  test('reports a merged customer as its own failure type', async () => {
    const source = await client.createCustomer({ email: EMAIL, name: null, phone: null });
    const target = await client.createCustomer({ email: 'other@example.com', name: null, phone: null });
    const merge = await fetch(`${emulator.url}/api/customers/merge?source_id=${source.id}&target_id=${target.id}`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from(`${EMULATOR_AUTH.username}:${EMULATOR_AUTH.apiKey}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({}),
    });
    assert.equal(merge.status, 200);

    const failure = await failureOf(() =>
      run(createGorgiasActivities(client).writeGorgiasWidgetData, {
        customerId: source.id,
        data: {},
        version: '2026-01-01T00:00:00.000Z',
      }),
    );

    assert.equal(failure.type, GorgiasFailureType.customerMerged);
    assert.equal(failure.nonRetryable, true);
  });

  test('retries a 429 no sooner than Retry-After', async () => {
    // The first find-or-create spends the whole budget: a look-up and a create.
    emulator.configure({ rateLimit: { limit: 2, windowSeconds: 20 } });
    const activities = createGorgiasActivities(client);
    await run(activities.findOrCreateGorgiasCustomer, { email: EMAIL, name: null, phone: null });

    const failure = await failureOf(() =>
      run(activities.findOrCreateGorgiasCustomer, { email: EMAIL, name: null, phone: null }),
    );

    assert.equal(failure.type, GorgiasFailureType.rateLimited);
    assert.equal(failure.nonRetryable, false);
    assert.ok(failure.nextRetryDelay !== undefined, 'a 429 must carry nextRetryDelay');
    assert.ok(Number(failure.nextRetryDelay) >= 1000, `nextRetryDelay ${String(failure.nextRetryDelay)} < 1 s`);
  });
});
