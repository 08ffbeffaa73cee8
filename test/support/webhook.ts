import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signWhiplashBody } from '../../src/whiplash/signature';
import { WEBHOOK_SECRET } from './stack';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'whiplash');

/** Reads a Whiplash fixture from test/fixtures/whiplash by file name. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

/** Wraps an API order object into the webhook envelope Whiplash posts. */
export function asWebhook(order: unknown, eventName = 'order.created'): Record<string, unknown> {
  return { event_name: eventName, order };
}

/** Posts a body to the webhook endpoint, signed with the test secret unless `signature` overrides it. */
export async function postWebhook(
  apiUrl: string,
  body: unknown,
  options: { signature?: string | null; contentType?: string; raw?: string } = {},
): Promise<Response> {
  const raw = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature === undefined ? signWhiplashBody(raw, WEBHOOK_SECRET) : options.signature;
  if (signature !== null) headers['x-whiplash-signature'] = signature;
  return fetch(`${apiUrl}/webhooks/whiplash`, { method: 'POST', headers, body: raw });
}

/**
 * Every fixture as the webhook bodies Whiplash would post: a webhook file as it is, and each order of an API
 * file wrapped in an `order.created` body.
 */
export function allFixtureWebhooks(): { name: string; body: Record<string, unknown> }[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      const json = loadFixture<unknown>(name);
      if (Array.isArray(json)) return json.map((order) => ({ name, body: asWebhook(order) }));
      const record = json as Record<string, unknown>;
      return [{ name, body: 'event_name' in record ? record : asWebhook(record) }];
    });
}
