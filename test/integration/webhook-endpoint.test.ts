import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { signWhiplashBody } from '../../src/whiplash/signature';
import { SearchAttributes } from '../../workflows/search-attributes';
import { startStack, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { loadFixture, postWebhook } from '../support/webhook';

type Body = { error?: string; header?: string; issues?: { path: string; message: string }[]; status?: string };

/** Builds a webhook body for a made-up order id, so each test owns its workflow id. */
function orderBody(orderId: number, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const body = loadFixture<{ event_name: string; order: Record<string, unknown> }>(
    'order_created_us_basic.webhook.json',
  );
  return { ...body, order: { ...body.order, id: orderId, ...changes } };
}

describe('POST /webhooks/whiplash', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ maxBodyBytes: 1_000_000 });
  });
  after(async () => {
    await stack?.stop();
  });

  /** Asserts that no order workflow exists for the order id, i.e. the rejected request started nothing. */
  async function assertNoWorkflow(orderId: number): Promise<void> {
    await assert.rejects(
      stack.client.workflow.getHandle(`whiplash-order-${orderId}`).describe(),
      WorkflowNotFoundError,
    );
  }

  test('answers 202 with the workflow id', async () => {
    const response = await postWebhook(stack.apiUrl, orderBody(900001));

    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { status: 'accepted', workflowId: 'whiplash-order-900001' });
    const description = await stack.client.workflow.getHandle('whiplash-order-900001').describe();
    assert.equal(description.type, 'orderWorkflow');
  });

  test('rejects a missing signature with 401', async () => {
    const response = await postWebhook(stack.apiUrl, orderBody(900002), { signature: null });
    const body = (await response.json()) as Body;

    assert.equal(response.status, 401);
    assert.equal(body.header, 'X-WHIPLASH-SIGNATURE');
    assert.match(body.error!, /missing/);
    await assertNoWorkflow(900002);
  });

  test('rejects a signature made with another key with 401', async () => {
    const raw = JSON.stringify(orderBody(900003));
    const response = await postWebhook(stack.apiUrl, null, { raw, signature: signWhiplashBody(raw, 'wrong-key') });

    assert.equal(response.status, 401);
    assert.match(((await response.json()) as Body).error!, /does not match/);
    await assertNoWorkflow(900003);
  });

  test('rejects a signature over other bytes with 401', async () => {
    const signed = JSON.stringify(orderBody(900004));
    const sent = JSON.stringify(orderBody(900004), null, 2);
    const response = await postWebhook(stack.apiUrl, null, { raw: sent, signature: signWhiplashBody(signed, 'x') });

    assert.equal(response.status, 401);
    await assertNoWorkflow(900004);
  });

  test('rejects a non-JSON content type with 415', async () => {
    const response = await postWebhook(stack.apiUrl, orderBody(900005), { contentType: 'text/plain' });
    const body = (await response.json()) as Body & { received?: string };

    assert.equal(response.status, 415);
    assert.equal(body.header, 'Content-Type');
    assert.equal(body.received, 'text/plain');
    await assertNoWorkflow(900005);
  });

  test('rejects malformed JSON with 400', async () => {
    const response = await postWebhook(stack.apiUrl, null, { raw: '{"event_name": "order.created", "order": {' });

    assert.equal(response.status, 400);
    assert.match(((await response.json()) as Body).error!, /not valid JSON/);
  });

  test('rejects an order without email with 422 naming the field', async () => {
    const response = await postWebhook(stack.apiUrl, orderBody(900006, { email: null }));
    const body = (await response.json()) as Body;

    assert.equal(response.status, 422);
    assert.deepEqual(
      body.issues!.map((issue) => issue.path),
      ['order.email'],
    );
    assert.ok(body.issues![0]!.message.length > 0);
    await assertNoWorkflow(900006);
  });

  test('rejects a body above the size limit with 413', async () => {
    const huge = orderBody(900007, { public_note: 'x'.repeat(1_100_000) });
    const response = await postWebhook(stack.apiUrl, huge);

    assert.equal(response.status, 413);
    assert.match(((await response.json()) as Body).error!, /WEBHOOK_MAX_BODY_BYTES/);
    await assertNoWorkflow(900007);
  });

  test('accepts an oversized order number', async () => {
    const orderNumber = '#'.repeat(3000);
    const body = orderBody(900008, { order_orig: orderNumber, originator: { shop_domain: '🛒'.repeat(3000) } });
    const response = await postWebhook(stack.apiUrl, body);

    assert.equal(response.status, 202);
    const description = await stack.client.workflow.getHandle('whiplash-order-900008').describe();
    const orderNumberAttribute = description.typedSearchAttributes.get(SearchAttributes.orderNumber);
    assert.equal(orderNumberAttribute, '#'.repeat(200));
    assert.equal(description.typedSearchAttributes.get(SearchAttributes.store), '🛒'.repeat(200));
  });

  test('rejects a compressed body with 415 naming Content-Encoding', async () => {
    const raw = JSON.stringify(orderBody(900009));
    const response = await fetch(`${stack.apiUrl}/webhooks/whiplash`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-whiplash-signature': signWhiplashBody(raw, WEBHOOK_SECRET),
      },
      body: raw,
    });
    const body = (await response.json()) as Body & { received?: string };

    assert.equal(response.status, 415);
    assert.equal(body.header, 'Content-Encoding');
    assert.equal(body.received, 'gzip');
    await assertNoWorkflow(900009);
  });

  test('acknowledges an item event with 200 ignored', async () => {
    const response = await postWebhook(stack.apiUrl, { event_name: 'item.created', item: { id: 1, sku: 'A' } });
    const body = (await response.json()) as Body;

    assert.equal(response.status, 200);
    assert.equal(body.status, 'ignored');
  });
});
