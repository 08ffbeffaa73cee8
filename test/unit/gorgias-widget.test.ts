import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import { WIDGET_DATA_KEY } from '../../src/domain/widget';
import {
  startGorgiasEmulator,
  type EmulatedWidget,
  type RequestLogEntry,
  type RunningGorgiasEmulator,
} from '../../src/emulators/gorgias';
import {
  createGorgiasClient,
  GorgiasApiError,
  type GorgiasClient,
  type GorgiasWidgetTemplate,
  type GorgiasWidgetTemplateNode,
} from '../../src/gorgias';
import {
  buildWhiplashWidgetInput,
  buildWhiplashWidgetTemplate,
  setupWhiplashWidgets,
  WHIPLASH_WIDGET_TITLE,
} from '../../src/gorgias-widget';
import { CustomerState } from '../../workflows/customer-state';
import { runCli } from '../support/cli';
import { fixtureEvent } from '../support/events';

interface GorgiasErrorBody {
  error: { msg: string; data?: Record<string, string[]> };
}

function apiKeyClient(emulator: RunningGorgiasEmulator): GorgiasClient {
  const { username, apiKey } = emulator.credentials;
  return createGorgiasClient({ baseUrl: emulator.url, auth: { type: 'api-key', username, apiKey } });
}

async function resetEmulator(emulator: RunningGorgiasEmulator): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  assert.equal(response.status, 204);
}

async function storedWidgets(emulator: RunningGorgiasEmulator): Promise<EmulatedWidget[]> {
  const response = await fetch(`${emulator.url}/_emulator/widgets`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { widgets: EmulatedWidget[] }).widgets;
}

async function clearRequestLog(emulator: RunningGorgiasEmulator): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
  assert.equal(response.status, 204);
}

async function requestLog(emulator: RunningGorgiasEmulator): Promise<RequestLogEntry[]> {
  const response = await fetch(`${emulator.url}/_emulator/requests`);
  return ((await response.json()) as { requests: RequestLogEntry[] }).requests;
}

/** Sends a raw widget request with the emulator's API key, for bodies the client never sends. */
async function sendWidgetRequest(
  emulator: RunningGorgiasEmulator,
  method: string,
  urlPath: string,
  body: unknown,
): Promise<{ status: number; body: GorgiasErrorBody }> {
  const { username, apiKey } = emulator.credentials;
  const response = await fetch(`${emulator.url}${urlPath}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GorgiasErrorBody };
}

/** Returns the template of another integration's `custom` widget, bound to its own data key. */
function foreignTemplate(): GorgiasWidgetTemplate {
  return {
    type: 'wrapper',
    widgets: [{ type: 'card', title: 'Loyalty', path: 'loyalty', widgets: [{ type: 'text', path: 'points' }] }],
  };
}

/**
 * Walks the template over `data` as Gorgias does, each path relative to its parent, and returns every path
 * that does not name a key of the data. A list is followed into each of its elements.
 */
function findUnresolvedPaths(nodes: GorgiasWidgetTemplateNode[], data: unknown, trail: string): string[] {
  const unresolved: string[] = [];
  for (const node of nodes) {
    let value = data;
    let nodeTrail = trail;
    if (node.path !== undefined) {
      nodeTrail = `${trail}/${node.path}`;
      const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
      if (!isObject || !Object.hasOwn(data, node.path)) {
        unresolved.push(nodeTrail);
        continue;
      }
      value = (data as Record<string, unknown>)[node.path];
    }
    if (node.type === 'list') {
      if (!Array.isArray(value) || value.length === 0) {
        unresolved.push(`${nodeTrail} (expected a non-empty array)`);
        continue;
      }
      for (const [index, element] of value.entries()) {
        unresolved.push(...findUnresolvedPaths(node.widgets ?? [], element, `${nodeTrail}[${index}]`));
      }
    } else if (node.widgets !== undefined) {
      unresolved.push(...findUnresolvedPaths(node.widgets, value, nodeTrail));
    }
  }
  return unresolved;
}

function collectPaths(nodes: GorgiasWidgetTemplateNode[]): string[] {
  return nodes.flatMap((node) => [
    ...(node.path === undefined ? [] : [node.path]),
    ...collectPaths(node.widgets ?? []),
  ]);
}

describe('Whiplash widget setup against the emulator', () => {
  let emulator: RunningGorgiasEmulator;
  let client: GorgiasClient;

  before(async () => {
    emulator = await startGorgiasEmulator();
    client = apiKeyClient(emulator);
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
  });
  after(async () => {
    await emulator.close();
  });

  test('first run creates both contexts', async () => {
    const result = await setupWhiplashWidgets(client);

    assert.equal(result.ticket.action, 'created');
    assert.equal(result.customer.action, 'created');
    const widgets = await storedWidgets(emulator);
    assert.deepEqual(
      widgets.map((widget) => [widget.id, widget.context, widget.type]),
      [
        [result.ticket.widgetId, 'ticket', 'custom'],
        [result.customer.widgetId, 'customer', 'custom'],
      ],
    );
    for (const widget of widgets) {
      assert.deepEqual(widget.template, buildWhiplashWidgetTemplate());
    }
    assert.deepEqual(result.ticket.duplicateIds, []);
    assert.equal(result.ticket.deactivated, false);
  });

  test('second run sends no POST or PUT', async () => {
    const first = await setupWhiplashWidgets(client);
    await clearRequestLog(emulator);

    const second = await setupWhiplashWidgets(client);

    assert.equal(second.ticket.action, 'unchanged');
    assert.equal(second.customer.action, 'unchanged');
    assert.equal(second.ticket.widgetId, first.ticket.widgetId);
    assert.equal(second.customer.widgetId, first.customer.widgetId);
    assert.deepEqual(
      (await requestLog(emulator)).map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
      ['GET /api/widgets 200'],
    );
    assert.equal((await storedWidgets(emulator)).length, 2);
  });

  test('changed template is updated in its context only', async () => {
    const first = await setupWhiplashWidgets(client);
    const customerWidgetId = first.customer.widgetId!;
    const outdated = buildWhiplashWidgetTemplate();
    outdated.widgets[0]!.title = 'Whiplash (old)';
    outdated.widgets[0]!.widgets = outdated.widgets[0]!.widgets!.slice(0, 1);
    assert.ok(emulator.state.widgets.update(customerWidgetId, { template: { ...outdated } }));
    await clearRequestLog(emulator);

    const result = await setupWhiplashWidgets(client);

    assert.equal(result.ticket.action, 'unchanged');
    assert.equal(result.customer.action, 'updated');
    assert.equal(result.customer.widgetId, customerWidgetId);
    const writes = (await requestLog(emulator)).filter((entry) => entry.method !== 'GET');
    assert.deepEqual(
      writes.map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
      ['PUT /api/widgets/:id 202'],
    );
    assert.deepEqual(emulator.state.widgets.get(customerWidgetId)?.template, buildWhiplashWidgetTemplate());
  });

  test('changed order is updated when requested', async () => {
    await setupWhiplashWidgets(client);

    const result = await setupWhiplashWidgets(client, { order: 5 });

    assert.equal(result.ticket.action, 'updated');
    assert.equal(result.customer.action, 'updated');
    assert.deepEqual(
      (await storedWidgets(emulator)).map((widget) => widget.order),
      [5, 5],
    );
    const again = await setupWhiplashWidgets(client, { order: 5 });
    assert.equal(again.ticket.action, 'unchanged');
  });

  test('duplicate widget is reported and kept', async () => {
    const first = await setupWhiplashWidgets(client);
    const duplicate = await client.createWidget(buildWhiplashWidgetInput('ticket'));

    const result = await setupWhiplashWidgets(client);

    assert.equal(result.ticket.action, 'unchanged');
    assert.equal(result.ticket.widgetId, first.ticket.widgetId);
    assert.deepEqual(result.ticket.duplicateIds, [duplicate.id]);
    assert.deepEqual(result.customer.duplicateIds, []);
    assert.equal((await storedWidgets(emulator)).length, 3);
  });

  test('other custom widgets are left alone', async () => {
    const foreign = await client.createWidget({ type: 'custom', context: 'ticket', template: foreignTemplate() });

    const result = await setupWhiplashWidgets(client);

    assert.equal(result.ticket.action, 'created');
    assert.notEqual(result.ticket.widgetId, foreign.id);
    assert.deepEqual(emulator.state.widgets.get(foreign.id)?.template, foreignTemplate());
  });

  test('deactivated widget is reported', async () => {
    const first = await setupWhiplashWidgets(client);
    emulator.state.widgets.update(first.ticket.widgetId!, { deactivated_datetime: '2026-03-01T00:00:00.000Z' });

    const result = await setupWhiplashWidgets(client);

    assert.equal(result.ticket.action, 'unchanged');
    assert.equal(result.ticket.deactivated, true);
    assert.equal(result.customer.deactivated, false);
  });

  test('dry run writes nothing', async () => {
    const result = await setupWhiplashWidgets(client, { dryRun: true });

    assert.equal(result.ticket.action, 'created');
    assert.equal(result.ticket.widgetId, null);
    assert.equal(result.customer.action, 'created');
    assert.deepEqual(await storedWidgets(emulator), []);
  });

  test('listing error propagates as a Gorgias error', async () => {
    emulator.configure({ faults: { rejectWithStatus: 403 } });
    try {
      await assert.rejects(setupWhiplashWidgets(client), (err: unknown) => {
        assert.ok(err instanceof GorgiasApiError);
        assert.equal(err.status, 403);
        return true;
      });
    } finally {
      emulator.configure({ faults: { rejectWithStatus: null } });
    }
  });
});

describe('Whiplash widget template', () => {
  test('has four sections under the data key', () => {
    const template = buildWhiplashWidgetTemplate();
    const root = template.widgets[0];

    assert.equal(template.type, 'wrapper');
    assert.equal(template.widgets.length, 1);
    assert.equal(root?.type, 'card');
    assert.equal(root?.title, WHIPLASH_WIDGET_TITLE);
    assert.equal(root?.path, WIDGET_DATA_KEY);
    assert.deepEqual(
      root?.widgets?.map((node) => `${node.type}:${node.path}`),
      ['card:customer', 'card:address', 'list:orders', 'date:synced_at'],
    );
  });

  test('every path resolves in a synced blob', () => {
    const customer = new CustomerState({
      gorgiasAccount: 'test',
      email: 'avery.lindqvist@example.com',
      emailHash: 'unused',
      settings: {
        debounceWindowMs: 0,
        idleTimeoutMs: 1000,
        maxWidgetOrders: 20,
        retryingAfterMs: 0,
        gorgiasTaskQueue: 'q',
      },
    });
    for (const name of ['order_created_us_basic.webhook.json', 'order_shipped_us_basic_tracking.webhook.json']) {
      customer.upsert(fixtureEvent(name), 'workflow');
    }
    const blob = customer.toDataBlob(20, '2026-03-04T00:00:00.000Z');
    const template = buildWhiplashWidgetTemplate();

    assert.deepEqual(findUnresolvedPaths(template.widgets, blob, ''), []);
  });

  test('walker reports a misspelt path', () => {
    const template = buildWhiplashWidgetTemplate();
    const blob = { [WIDGET_DATA_KEY]: { customer: {}, address: {}, orders: [], synced_at: 'x' } };

    assert.ok(findUnresolvedPaths(template.widgets, blob, '').includes('/whiplash/customer/name'));
    assert.ok(
      findUnresolvedPaths(template.widgets, blob, '').includes('/whiplash/orders (expected a non-empty array)'),
    );
  });

  test('shows no internal keys', () => {
    const paths = collectPaths(buildWhiplashWidgetTemplate().widgets);

    assert.deepEqual(
      paths.filter((widgetPath) => widgetPath.startsWith('_')),
      [],
    );
    for (const expected of ['requires_signature', 'shipping_method', 'store', 'tracking_numbers', 'sku', 'quantity']) {
      assert.ok(paths.includes(expected), `template has no path ${expected}`);
    }
  });
});

describe('Gorgias client widgets', () => {
  let emulator: RunningGorgiasEmulator;
  let client: GorgiasClient;

  before(async () => {
    emulator = await startGorgiasEmulator();
    client = apiKeyClient(emulator);
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
  });
  after(async () => {
    await emulator.close();
  });

  test('listAllWidgets follows cursors over pages', async () => {
    const created: number[] = [];
    for (let index = 0; index < 205; index++) {
      created.push(emulator.state.widgets.create({ type: 'custom', template: { ...foreignTemplate() } }).id);
    }

    const all = await client.listAllWidgets();

    assert.deepEqual(
      all.map((widget) => widget.id),
      created,
    );
    const listRequests = (await requestLog(emulator)).filter((entry) => entry.path === '/api/widgets');
    assert.equal(listRequests.length, 3);
  });

  test('listWidgets returns one page with a cursor', async () => {
    for (let index = 0; index < 3; index++) {
      emulator.state.widgets.create({ type: 'custom', template: { ...foreignTemplate() } });
    }

    const first = await client.listWidgets({ limit: 2 });
    const second = await client.listWidgets({ limit: 2, cursor: first.meta.next_cursor ?? undefined });

    assert.deepEqual(
      first.data.map((widget) => widget.id),
      [1, 2],
    );
    assert.equal(typeof first.meta.next_cursor, 'string');
    assert.deepEqual(
      second.data.map((widget) => widget.id),
      [3],
    );
    assert.equal(second.meta.next_cursor, null);
  });

  test('listWidgets rejects a limit over 100', async () => {
    await assert.rejects(client.listWidgets({ limit: 101 }), TypeError);
    assert.deepEqual(await requestLog(emulator), []);
  });

  test('updateWidget replaces the template', async () => {
    const widget = await client.createWidget(buildWhiplashWidgetInput('customer', 3));

    const updated = await client.updateWidget(widget.id, {
      type: 'custom',
      context: 'customer',
      template: foreignTemplate(),
    });

    assert.deepEqual(updated?.template, foreignTemplate());
    assert.equal(updated?.order, 3);
    assert.deepEqual((await client.getWidget(widget.id)).template, foreignTemplate());
  });

  test('getWidget of a missing id throws 404', async () => {
    await assert.rejects(client.getWidget(999), (err: unknown) => {
      assert.ok(err instanceof GorgiasApiError);
      assert.equal(err.status, 404);
      assert.equal(err.gorgiasMessage, 'Widget not found');
      return true;
    });
  });
});

describe('Gorgias emulator widget validation', () => {
  let emulator: RunningGorgiasEmulator;

  before(async () => {
    emulator = await startGorgiasEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  const cases: { name: string; body: Record<string, unknown>; field: string }[] = [
    {
      name: 'template root that is not a wrapper',
      body: { type: 'custom', template: { type: 'card', widgets: [] } },
      field: 'template.type',
    },
    { name: 'missing template', body: { type: 'custom' }, field: 'template' },
    {
      name: 'deprecated user context',
      body: { type: 'custom', context: 'user', template: { type: 'wrapper', widgets: [] } },
      field: 'context',
    },
    { name: 'missing type', body: { template: { type: 'wrapper', widgets: [] } }, field: 'type' },
    {
      name: 'http widget without integration_id',
      body: { type: 'http', template: { type: 'wrapper', widgets: [] } },
      field: 'integration_id',
    },
    {
      name: 'template node without type',
      body: { type: 'custom', template: { type: 'wrapper', widgets: [{ path: 'whiplash' }] } },
      field: 'template.widgets.0.type',
    },
  ];
  for (const { name, body, field } of cases) {
    test(`POST rejects ${name}`, async () => {
      const response = await sendWidgetRequest(emulator, 'POST', '/api/widgets', body);

      assert.equal(response.status, 400);
      assert.ok(response.body.error.data?.[field], `no error for ${field} in ${JSON.stringify(response.body)}`);
      assert.match(response.body.error.msg, new RegExp(field.replaceAll('.', '\\.')));
    });
  }

  test('PUT rejects an invalid context', async () => {
    const created = emulator.state.widgets.create({ type: 'custom', template: { type: 'wrapper', widgets: [] } });

    const response = await sendWidgetRequest(emulator, 'PUT', `/api/widgets/${created.id}`, { context: 'sidebar' });

    assert.equal(response.status, 400);
    assert.ok(response.body.error.data?.context);
    assert.equal(emulator.state.widgets.get(created.id)?.context, 'ticket');
  });

  test('PUT of a missing widget returns 404', async () => {
    const response = await sendWidgetRequest(emulator, 'PUT', '/api/widgets/424242', { context: 'customer' });

    assert.equal(response.status, 404);
    assert.deepEqual(response.body, { error: { msg: 'Widget 424242 not found' } });
  });

  test('list rejects an unknown parameter', async () => {
    const { username, apiKey } = emulator.credentials;
    const response = await fetch(`${emulator.url}/api/widgets?page=2`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}` },
    });

    assert.equal(response.status, 400);
    assert.ok(((await response.json()) as GorgiasErrorBody).error.data?.page);
  });

  test('reset deletes every widget', async () => {
    emulator.state.widgets.create({ type: 'custom', template: { type: 'wrapper', widgets: [] } });

    await resetEmulator(emulator);

    assert.deepEqual(await storedWidgets(emulator), []);
  });
});

describe('setup-widget command', () => {
  let emulator: RunningGorgiasEmulator;
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    emulator = await startGorgiasEmulator();
    dataDir = await mkdtemp(path.join(tmpdir(), 'setup-widget-'));
    env = {
      GORGIAS_BASE_URL: emulator.url,
      GORGIAS_ACCOUNT: 'emulator-test',
      GORGIAS_AUTH: 'api-key',
      GORGIAS_USERNAME: emulator.credentials.username,
      GORGIAS_API_KEY: emulator.credentials.apiKey,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
  });
  after(async () => {
    await emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('creates, keeps and reports duplicates', async () => {
    const first = await runCli('setup-widget', [], env);

    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`Target: Gorgias account emulator-test at ${emulator.url}`));
    assert.match(first.stdout, /^ticket widget: created \(widget id 1\)$/m);
    assert.match(first.stdout, /^customer widget: created \(widget id 2\)$/m);

    emulator.state.widgets.create({
      type: 'custom',
      context: 'ticket',
      template: { ...buildWhiplashWidgetTemplate() },
    });
    const second = await runCli('setup-widget', [], env);

    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^ticket widget: unchanged \(widget id 1\)$/m);
    assert.match(second.stdout, /^ {2}widget 3 is another Whiplash widget in this context and was left in place/m);
    assert.match(second.stdout, /^customer widget: unchanged \(widget id 2\)$/m);
    assert.equal((await storedWidgets(emulator)).length, 3);
  });

  test('dry run prints the template and writes nothing', async () => {
    const result = await runCli('setup-widget', ['--dry-run'], env);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ticket widget: would be created$/m);
    const json = result.stdout.slice(result.stdout.indexOf('Template:\n') + 'Template:\n'.length);
    assert.deepEqual(JSON.parse(json), buildWhiplashWidgetTemplate());
    assert.deepEqual(await storedWidgets(emulator), []);
  });

  test('403 exits 1 naming the permission', async () => {
    emulator.configure({ faults: { rejectWithStatus: 403 } });
    try {
      const result = await runCli('setup-widget', [], env);

      assert.equal(result.code, 1);
      assert.match(result.stderr, /failed with 403/);
      assert.match(result.stderr, /lack the permission to manage widgets/);
    } finally {
      emulator.configure({ faults: { rejectWithStatus: null } });
    }
  });

  test('help exits 0 without a request', async () => {
    const result = await runCli('setup-widget', ['--help'], env);

    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: npm run setup:widget/);
    assert.deepEqual(await requestLog(emulator), []);
  });
});
