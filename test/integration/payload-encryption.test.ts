import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ENCRYPTED_ENCODING } from '../../src/codec/aes-gcm-codec';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { hashEmail } from '../../src/whiplash/email';
import { customerWorkflowId, orderStateQuery } from '../../workflows/definitions';
import { widgetOf } from '../support/gorgias-state';
import { CODEC_SERVER_TOKEN, eventually, startStack, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

const run = promisify(execFile);

// Personal data of the consumer in order_created_us_basic.webhook.json.
const PERSONAL_DATA = {
  email: 'avery.lindqvist@example.com',
  name: 'Avery Lindqvist',
  phone: '(217) 555-0134',
  street: '418 Larkspur Lane',
};

interface JsonPayload {
  metadata: Record<string, string>;
  data?: string;
}

/** A payload found in an exported history, with the JSON path to it. */
interface FoundPayload extends JsonPayload {
  path: string;
}

/**
 * Exports a workflow's history as JSON with the `temporal` CLI, payloads as stored (no shorthand) unless
 * `extraArgs` pass a codec endpoint.
 */
async function exportHistory(stack: Stack, workflowId: string, extraArgs: string[] = []): Promise<string> {
  const cli = ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, process.env.PATH);
  const args = ['workflow', 'show', '--workflow-id', workflowId, '--address', stack.server.address];
  const { stdout } = await run(cli, [...args, '--output', 'json', '--no-json-shorthand-payloads', ...extraArgs], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Collects every object shaped like a Payload (a `metadata` map with an `encoding`) from an exported history. */
function collectPayloads(value: unknown, path = '', found: FoundPayload[] = []): FoundPayload[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectPayloads(item, `${path}.${index}`, found));
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (metadata !== undefined && typeof metadata === 'object' && typeof metadata.encoding === 'string') {
      found.push({ path, metadata: metadata as Record<string, string>, data: record.data as string | undefined });
    } else {
      Object.entries(record).forEach(([key, item]) => collectPayloads(item, `${path}.${key}`, found));
    }
  }
  return found;
}

/** Returns whether a payload is a search attribute value, which the server indexes, so no codec encodes it. */
function isSearchAttribute(payload: FoundPayload): boolean {
  return payload.path.includes('.searchAttributes.');
}

/**
 * Tells whether the payload is SDK marker metadata. The SDK writes the markers of `patched()` and of local activities with its own plain JSON: the patch id, and the
 * local activity's type, id, attempt and times. A local activity's result is a payload like any other and is
 * encrypted.
 */
function isSdkMarkerData(payload: FoundPayload): boolean {
  return /\.markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(payload.path);
}

function fromBase64(value: string | undefined): string {
  return Buffer.from(value ?? '', 'base64').toString('utf8');
}

/** Joins the export's text and every payload's data decoded from base64, where plain JSON payloads would show. */
function searchableText(history: string): string {
  const payloads = collectPayloads(JSON.parse(history));
  return [history, ...payloads.map((payload) => fromBase64(payload.data))].join('\n');
}

function decodeRequest(payloads: JsonPayload[], token: string | null): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-namespace': 'default' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return { method: 'POST', headers, body: JSON.stringify({ payloads }) };
}

describe('payload encryption', () => {
  let stack: Stack;
  let histories: { workflowId: string; text: string }[];

  before(async () => {
    stack = await startStack({ payloadCodecKeys: [{ id: 'test-key', key: randomBytes(32) }] });

    const response = await postWebhook(stack.apiUrl, loadFixture('order_created_us_basic.webhook.json'));
    assert.equal(response.status, 202);
    const orderHandle = stack.client.workflow.getHandle('whiplash-order-8403117');
    await eventually(async () => {
      assert.equal((await orderHandle.query(orderStateQuery)).syncState, 'synced');
    });
    await eventually(() => widgetOf(stack, PERSONAL_DATA.email));

    const customerId = customerWorkflowId(stack.input.gorgiasAccount, hashEmail(PERSONAL_DATA.email));
    histories = [];
    for (const workflowId of ['whiplash-order-8403117', customerId]) {
      histories.push({ workflowId, text: await exportHistory(stack, workflowId) });
    }
  });
  after(async () => {
    await stack?.stop();
  });

  test('history export shows no personal data', () => {
    for (const { workflowId, text } of histories) {
      const searchable = searchableText(text);
      for (const [field, value] of Object.entries(PERSONAL_DATA)) {
        assert.ok(!searchable.includes(value), `the ${field} appears in the history of ${workflowId}`);
      }
    }
  });

  test('failure messages are encrypted too', async () => {
    stack.emulator.configure({ faults: { rejectWithStatus: 403 } });
    try {
      const order = loadFixture<{ order: Record<string, unknown> }>('order_require_signature.webhook.json');
      assert.equal((await postWebhook(stack.apiUrl, order)).status, 202);
      const handle = stack.client.workflow.getHandle(`whiplash-order-${String(order.order.id)}`);
      await eventually(async () => assert.equal((await handle.query(orderStateQuery)).syncState, 'failed'));
      const email = String(order.order.email).trim().toLowerCase();
      const history = JSON.parse(
        await exportHistory(stack, customerWorkflowId(stack.input.gorgiasAccount, hashEmail(email))),
      ) as { events: { activityTaskFailedEventAttributes?: { failure?: Record<string, unknown> } }[] };
      const failures = history.events.flatMap((event) => {
        const failure = event.activityTaskFailedEventAttributes?.failure;
        return failure === undefined ? [] : [failure];
      });

      assert.ok(failures.length > 0, 'the rejected Gorgias call failed an activity');
      for (const failure of failures) {
        assert.equal(failure.message, 'Encoded failure', 'the message is replaced by a placeholder');
        assert.equal(failure.stackTrace ?? '', '', 'the stack trace is moved out of plain text');
        const encoded = failure.encodedAttributes as { metadata: Record<string, string> } | undefined;
        assert.equal(fromBase64(encoded!.metadata.encoding!), ENCRYPTED_ENCODING);
      }
    } finally {
      stack.emulator.configure({ faults: { rejectWithStatus: null } });
    }
  });

  test('history payloads are encrypted', () => {
    for (const { workflowId, text } of histories) {
      const payloads = collectPayloads(JSON.parse(text)).filter(
        (payload) => !isSearchAttribute(payload) && !isSdkMarkerData(payload),
      );
      const plain = payloads.filter((payload) => fromBase64(payload.metadata.encoding) !== ENCRYPTED_ENCODING);
      assert.ok(payloads.length > 0, `no payload in the history of ${workflowId}`);
      assert.deepEqual(
        plain.map((payload) => payload.path),
        [],
        `payloads that are not encrypted in the history of ${workflowId}`,
      );
    }
  });

  test('codec server decodes history payloads', async () => {
    for (const { workflowId, text } of histories) {
      const payloads = collectPayloads(JSON.parse(text)).map(({ metadata, data }) => ({ metadata, data }));
      const response = await fetch(`${stack.apiUrl}/codec/decode`, decodeRequest(payloads, CODEC_SERVER_TOKEN));
      assert.equal(response.status, 200);

      const decoded = ((await response.json()) as { payloads: JsonPayload[] }).payloads;
      assert.equal(decoded.length, payloads.length);
      const plain = decoded.map((payload) => fromBase64(payload.data)).join('\n');
      for (const [field, value] of Object.entries(PERSONAL_DATA)) {
        assert.ok(plain.includes(value), `the decoded history of ${workflowId} lacks the ${field}`);
      }
    }
  });

  test('temporal CLI decodes through codec server', async () => {
    const codecArgs = ['--codec-endpoint', `${stack.apiUrl}/codec`, '--codec-auth', `Bearer ${CODEC_SERVER_TOKEN}`];
    const history = await exportHistory(stack, 'whiplash-order-8403117', codecArgs);

    const searchable = searchableText(history);
    for (const [field, value] of Object.entries(PERSONAL_DATA)) {
      assert.ok(searchable.includes(value), `the decoded order history lacks the ${field}`);
    }
  });

  test('codec server encodes then decodes', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'eyJhIjoxfQ==' };
    const encodeRequest = decodeRequest([plain], CODEC_SERVER_TOKEN);
    const encoded = await fetch(`${stack.apiUrl}/codec/encode`, encodeRequest);
    assert.equal(encoded.status, 200);
    const { payloads } = (await encoded.json()) as { payloads: JsonPayload[] };
    assert.equal(fromBase64(payloads[0]!.metadata.encoding), ENCRYPTED_ENCODING);

    const decoded = await fetch(`${stack.apiUrl}/codec/decode`, decodeRequest(payloads, CODEC_SERVER_TOKEN));
    assert.deepEqual(await decoded.json(), { payloads: [plain] });
  });

  test('codec server rejects missing token', async () => {
    const payloads = collectPayloads(JSON.parse(histories[0]!.text));

    const response = await fetch(`${stack.apiUrl}/codec/decode`, decodeRequest(payloads, null));

    assert.equal(response.status, 401);
    const body = JSON.stringify(await response.json());
    assert.ok(!body.includes(PERSONAL_DATA.email), 'the 401 body contains the email');
  });

  test('codec server rejects wrong token', async () => {
    const response = await fetch(`${stack.apiUrl}/codec/decode`, decodeRequest([], 'wrong-token'));

    assert.equal(response.status, 401);
  });

  test('codec server rejects malformed body', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${CODEC_SERVER_TOKEN}` };
    const notJson = await fetch(`${stack.apiUrl}/codec/decode`, { method: 'POST', headers, body: '{"payloads":' });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as { error: string }).error, /not valid JSON/);

    const wrongShape = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ payloads: [{ metadata: { encoding: 'not base64!' } }] }),
    });
    assert.equal(wrongShape.status, 400);
    const body = (await wrongShape.json()) as { issues: { path: string }[] };
    assert.equal(body.issues[0]?.path, 'payloads.0.metadata.encoding');
  });

  test('preflight from Temporal UI gets CORS headers', async () => {
    const response = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:8233',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });

    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8233');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(response.headers.get('access-control-allow-headers'), 'Authorization, Content-Type, X-Namespace');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  test('preflight from other origin gets no CORS headers', async () => {
    const response = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST' },
    });

    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('access-control-allow-headers'), null);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });
});
