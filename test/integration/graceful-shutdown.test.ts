import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { EMULATOR_AUTH } from '../../src/config';
import { startGorgiasEmulator, type RunningGorgiasEmulator } from '../../src/emulators/gorgias';
import { createGorgiasClient } from '../../src/gorgias';
import { buildOrderWorkflowInput, sendOrderEvent } from '../../src/sync/send-order-event';
import { startDevServer, type RunningDevServer } from '../../src/temporal-cli/dev-server';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { signWhiplashBody } from '../../src/whiplash/signature';
import { customerWorkflowId } from '../../workflows/definitions';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { fixtureEvent } from '../support/events';
import { eventually, WEBHOOK_SECRET } from '../support/stack';
import { loadFixture } from '../support/webhook';

const ROOT = path.join(__dirname, '..', '..');
const started: ChildProcess[] = [];

/** A service entry point running in its own process, with its JSON log lines parsed as they arrive. */
interface ServiceProcess {
  child: ChildProcess;
  records: Record<string, unknown>[];
  /** Resolves with the first log record whose message is `msg`, waiting for it if needed. */
  logged(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startService(script: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const records: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const logged = async (msg: string) => {
    for (;;) {
      const record = records.find((candidate) => candidate.msg === msg);
      if (record) return record;
      const more = new Promise<void>((resolve) => waiters.push(resolve));
      const code = await Promise.race([more.then(() => undefined), exited]);
      if (code !== undefined) throw new Error(`${script} exited with ${code} before logging "${msg}"`);
    }
  };
  return { child, records, logged, exited };
}

describe('graceful shutdown on SIGTERM', () => {
  let server: RunningDevServer;
  let client: Client;
  let emulator: RunningGorgiasEmulator;

  before(async () => {
    server = await startDevServer({
      cliPath: ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
    });
    client = new Client({ connection: await Connection.connect({ address: server.address }) });
    emulator = await startGorgiasEmulator();
  });
  after(async () => {
    // A failed test may leave its process running.
    started.filter((child) => child.exitCode === null).forEach((child) => child.kill('SIGKILL'));
    await client?.connection.close();
    await emulator?.close();
    await server?.stop();
  });

  test('API finishes in-flight request, then exits', async () => {
    const api = startService('src/api/main.ts', {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: 'shutdown-api',
      API_PORT: '0',
      WHIPLASH_WEBHOOK_SECRETS: WEBHOOK_SECRET,
      SHUTDOWN_GRACE_TIME: '10s',
    });
    const { port } = (await api.logged('API listening')) as { port: number };
    const body = Buffer.from(JSON.stringify(loadFixture('order_created_us_basic.webhook.json')));

    // Send half the body, so the request is in flight when the signal arrives.
    const inFlight = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/webhooks/whiplash',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'x-whiplash-signature': signWhiplashBody(body, WEBHOOK_SECRET),
      },
    });
    const answered = once(inFlight, 'response');
    inFlight.write(body.subarray(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 200));

    api.child.kill('SIGTERM');
    await api.logged('API stopping; finishing in-flight requests');
    await eventually(async () => {
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'a new connection is refused');
    }, 5000);
    assert.equal(api.child.exitCode, null, 'the API waits for the request in flight');

    inFlight.end(body.subarray(100));
    const [response] = (await answered) as [import('node:http').IncomingMessage];
    assert.equal(response.statusCode, 202);
    assert.equal(await api.exited, 0);
    await api.logged('API stopped');
    const description = await client.workflow.getHandle('whiplash-order-8403117').describe();
    assert.equal(description.status.name, 'RUNNING');
  });

  test('API starts while Temporal is down', async () => {
    const api = startService('src/api/main.ts', {
      // Nothing listens on port 1 of the loopback interface.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      API_PORT: '0',
      WHIPLASH_WEBHOOK_SECRETS: WEBHOOK_SECRET,
      WEBHOOK_TEMPORAL_TIMEOUT: '1s',
    });
    const { port } = (await api.logged('API listening')) as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const body = JSON.stringify(loadFixture('order_created_us_basic.webhook.json'));

    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    const response = await fetch(`${base}/webhooks/whiplash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-whiplash-signature': signWhiplashBody(body, WEBHOOK_SECRET) },
      body,
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '30');

    api.child.kill('SIGTERM');
    assert.equal(await api.exited, 0);
  });

  test('worker finishes running activity, then exits', async () => {
    const taskQueue = 'shutdown-worker';
    const worker = startService('src/worker/main.ts', {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_GORGIAS_TASK_QUEUE: `${taskQueue}-gorgias`,
      GORGIAS_BASE_URL: emulator.url,
      GORGIAS_ACCOUNT: 'test',
      GORGIAS_USERNAME: EMULATOR_AUTH.username,
      GORGIAS_API_KEY: EMULATOR_AUTH.apiKey,
      GORGIAS_REQUESTS_PER_20S: '2000',
      WORKER_HTTP_PORT: '0',
      SHUTDOWN_GRACE_TIME: '10s',
    });
    await worker.logged('Worker started');
    emulator.configure({ faults: { latencyMs: 1500 } });

    const event = fixtureEvent('order_require_signature.webhook.json');
    const input = buildOrderWorkflowInput('test', `${taskQueue}-gorgias`, {
      settlePeriodMs: 60_000,
      debounceWindowMs: 0,
      idleTimeoutMs: 60_000,
      maxWidgetOrders: 20,
    });
    await sendOrderEvent({ client, taskQueue, input }, event);
    const customer = client.workflow.getHandle(customerWorkflowId('test', event.consumer.emailHash));

    // Wait until the widget write is running in the worker.
    await eventually(async () => {
      const { raw } = await customer.describe();
      const write = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'writeGorgiasWidgetData');
      assert.equal(write?.state, temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
    }, 30_000);
    worker.child.kill('SIGTERM');

    assert.equal(await worker.exited, 0);
    await worker.logged('Worker stopped');
    const events = (await customer.fetchHistory()).events ?? [];
    const write = events.find(
      (historyEvent) =>
        historyEvent.activityTaskScheduledEventAttributes?.activityType?.name === 'writeGorgiasWidgetData',
    );
    assert.ok(write, 'the widget write was scheduled');
    const outcomes = events.filter((historyEvent) => {
      const attributes =
        historyEvent.activityTaskCompletedEventAttributes ??
        historyEvent.activityTaskFailedEventAttributes ??
        historyEvent.activityTaskTimedOutEventAttributes;
      return attributes?.scheduledEventId?.toString() === write.eventId?.toString();
    });
    assert.equal(outcomes.length, 1);
    assert.ok(outcomes[0]!.activityTaskCompletedEventAttributes, 'the write completed instead of failing');
    const gorgias = createGorgiasClient({ baseUrl: emulator.url, auth: EMULATOR_AUTH });
    const [found] = await gorgias.listCustomersByEmail(event.consumer.email);
    const data = (await gorgias.getCustomer(found!.id)).data as Record<string, { orders: unknown[] }>;
    assert.equal(data.whiplash?.orders.length, 1);
    emulator.configure({ faults: { latencyMs: 0 } });
  });
  test('worker exits when its HTTP port is taken', { timeout: 60_000 }, async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const worker = startService('src/worker/main.ts', {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: 'port-taken',
        TEMPORAL_GORGIAS_TASK_QUEUE: 'port-taken-gorgias',
        WORKER_HTTP_PORT: String(port),
      });
      // The workers exist by the time the port fails; the process must still exit instead of idling.
      assert.equal(await worker.exited, 1);
      const failure = worker.records.find((record) => record.msg === 'Worker failed');
      assert.match(String((failure?.err as { message?: unknown } | undefined)?.message), /EADDRINUSE/);
    } finally {
      holder.close();
    }
  });
});
