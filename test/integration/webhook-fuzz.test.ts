import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import { createApp } from '../../src/api/app';
import { logger } from '../../src/logger';
import { buildOrderWorkflowInput } from '../../src/sync/send-order-event';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { startDevServer, type RunningDevServer } from '../../src/temporal-cli/dev-server';
import { signWhiplashBody } from '../../src/whiplash/signature';
import { parseWebhookBody } from '../../src/whiplash/webhook-body';
import { orderWorkflowId } from '../../workflows/definitions';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { eventually, WEBHOOK_SECRET } from '../support/stack';

// Small enough that generated strings cross it often, so 413 is reached without slow uploads.
const MAX_BODY_BYTES = 64 * 1024;
const NUM_RUNS = readPositiveInteger('WEBHOOK_FUZZ_RUNS', 2000);
// Set WEBHOOK_FUZZ_SEED to the seed fast-check prints with a counterexample to replay that run.
const SEED = readSeed('WEBHOOK_FUZZ_SEED');
const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'whiplash');
const DEEP_PLACEHOLDER = 'deep-nesting-placeholder';
// Statuses the endpoint may return for these requests. Each must show up in a run, so no branch goes untested.
const EXPECTED_STATUSES = [200, 202, 400, 401, 413, 415, 422];

type FieldPath = (string | number)[];
type JsonObject = Record<string, unknown>;

interface Fixture {
  name: string;
  body: JsonObject;
}

/** A Content-Type header to send (null sends none), and whether `req.is('application/json')` accepts it. */
interface ContentType {
  value: string | null;
  json: boolean;
}

/** A Content-Encoding header to send. The endpoint inflates nothing, so only `identity` gets past it. */
type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'x-unknown';

/** How the `X-WHIPLASH-SIGNATURE` header is built from the exact bytes sent. */
type Signature =
  | { kind: 'valid' | 'valid-upper-case' | 'missing' | 'blank' | 'wrong-key' | 'other-bytes' | 'sha256-prefix' }
  | { kind: 'malformed'; header: string };

type Mutation =
  | { op: 'set'; path: FieldPath; value: unknown }
  | { op: 'delete'; path: FieldPath }
  | { op: 'retype'; path: FieldPath; to: 'string' | 'number' | 'boolean' | 'array' | 'object' };

/** A body as bytes, with a short description of how it was built for counterexample output. */
interface GeneratedBody {
  origin: string;
  bytes: Buffer;
}

/** One request to the webhook endpoint. `bytes` are the bytes sent. */
interface FuzzCase extends GeneratedBody {
  contentType: ContentType;
  contentEncoding: ContentEncoding | null;
  signature: Signature;
}

/** The response that the route's order of checks predicts for a case. */
type Expected =
  | { status: 200; eventName: string }
  | { status: 202; workflowId: string }
  | { status: 401; error: RegExp }
  | { status: 422; issuePaths: string[] }
  | { status: 415; header: 'Content-Type' | 'Content-Encoding' }
  | { status: 400 | 413 };

interface ResponseBody {
  error?: unknown;
  header?: unknown;
  received?: unknown;
  issues?: unknown;
  status?: unknown;
  workflowId?: unknown;
  eventName?: unknown;
  reason?: unknown;
}

function readSeed(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${name} must be an integer seed, but it is ${JSON.stringify(text)}.`);
  }
  return value;
}

function readPositiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, but it is ${JSON.stringify(text)}.`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures and the field paths that mutations target
// ---------------------------------------------------------------------------------------------------------------

/** Loads every Whiplash fixture as a webhook body. API orders are wrapped as `{ event_name, order }`. */
function loadFixtures(): Fixture[] {
  const names = readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return names.flatMap((name): Fixture[] => {
    const json: unknown = JSON.parse(readFileSync(path.join(FIXTURE_DIR, name), 'utf8'));
    if (name.endsWith('.webhook.json')) {
      return [{ name, body: json as JsonObject }];
    }
    const orders = Array.isArray(json) ? json : [json];
    return orders.map((order, index) => ({
      name: Array.isArray(json) ? `${name}[${index}]` : name,
      body: { event_name: 'order.updated', order },
    }));
  });
}

/** Lists the path of every field and array element down to `depth` levels. */
function fieldPaths(value: unknown, depth: number, prefix: FieldPath = []): FieldPath[] {
  if (depth === 0 || typeof value !== 'object' || value === null) {
    return [];
  }
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index): [number, unknown] => [index, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, depth - 1, [...prefix, key])]);
}

function uniquePaths(paths: FieldPath[]): FieldPath[] {
  const byKey = new Map(paths.map((fieldPath) => [JSON.stringify(fieldPath), fieldPath]));
  return [...byKey.values()];
}

const FIXTURES = loadFixtures();
const FIXTURE_PATHS = uniquePaths(FIXTURES.flatMap((fixture) => fieldPaths(fixture.body, 6)));
const CONTAINER_PATHS = uniquePaths([
  [],
  ...FIXTURE_PATHS.filter((fieldPath) =>
    FIXTURES.some((fixture) => {
      const value = getAtPath(fixture.body, fieldPath);
      return typeof value === 'object' && value !== null;
    }),
  ),
]);

// Fields the order parser reads or that end up in search attributes, so most mutations change the outcome.
const FOCUS_PATHS: FieldPath[] = [
  ['event_name'],
  ['order'],
  ['order', 'id'],
  ['order', 'status'],
  ['order', 'status_name'],
  ['order', 'email'],
  ['order', 'updated_at'],
  ['order', 'created_at'],
  ['order', 'customer_id'],
  ['order', 'humanize_id'],
  ['order', 'order_orig'],
  ['order', 'order_items'],
  ['order', 'order_items', 0],
  ['order', 'order_items', 0, 'quantity'],
  ['order', 'order_items', 0, 'sku'],
  ['order', 'order_items', 1],
  ['order', 'originator'],
  ['order', 'originator', 'shop_id'],
  ['order', 'originator', 'shop_domain'],
  ['order', 'originator', 'provider'],
  ['order', 'originator', 'original_id'],
  ['order', 'originator_id'],
  ['order', 'shipping_name'],
  ['order', 'shipping_zip'],
  ['order', 'shipping_country'],
  ['order', 'shipping_country_iso2'],
  ['order', 'shipping_method'],
  ['order', 'shipping_method', 'name'],
  ['order', 'tracking'],
  ['order', 'tracking_links'],
  ['order', 'packages'],
  ['order', 'packages', 0, 'tracking'],
  ['order', 'require_signature'],
];

const SPECIAL_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', '😀', 'ID', 'Email', 'order'];

function getAtPath(root: unknown, fieldPath: FieldPath): unknown {
  let value = root;
  for (const key of fieldPath) {
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * Applies a mutation in place. Returns false when the parent of the path is missing or not a container, for
 * example because an earlier mutation deleted it.
 */
function applyMutation(root: JsonObject, mutation: Mutation): boolean {
  const parent = getAtPath(root, mutation.path.slice(0, -1));
  const key = mutation.path.at(-1);
  if (key === undefined || typeof parent !== 'object' || parent === null) {
    return false;
  }
  if (mutation.op === 'delete') {
    if (Array.isArray(parent) && typeof key === 'number') {
      parent.splice(key, 1);
    } else {
      delete (parent as JsonObject)[key];
    }
    return true;
  }
  const value = mutation.op === 'set' ? mutation.value : retype((parent as JsonObject)[key], mutation.to);
  if (Array.isArray(parent) && typeof key === 'number') {
    parent[key] = value;
  } else {
    // defineProperty makes `__proto__` an own property, as JSON.parse does, instead of replacing the prototype.
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return true;
}

function retype(value: unknown, to: 'string' | 'number' | 'boolean' | 'array' | 'object'): unknown {
  switch (to) {
    case 'string':
      return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
    case 'number':
      // Number() on an object can throw, for example when a mutation made its `toString` a string.
      return typeof value === 'object' ? Number(JSON.stringify(value)) : Number(value);
    case 'boolean':
      return Boolean(value);
    case 'array':
      return [value];
    case 'object':
      return { value };
  }
}

/** Quotes a value for a counterexample description, shortened to stay readable. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}... (${text.length} characters as JSON)` : text;
}

function describeMutation(mutation: Mutation, applied: boolean): string {
  const target = mutation.path.join('.');
  const change =
    mutation.op === 'set'
      ? `set ${target} = ${preview(mutation.value)}`
      : mutation.op === 'delete'
        ? `delete ${target}`
        : `retype ${target} to ${mutation.to}`;
  return applied ? change : `${change} (skipped, no parent)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Field values
// ---------------------------------------------------------------------------------------------------------------

/** Strings of 1 to 70,000 characters, built by repeating a short unit so generation stays fast. */
const hugeStringArbitrary = fc
  .tuple(
    fc.oneof(fc.constant('x'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })),
    fc.integer({ min: 1, max: 70_000 }),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const specialStringArbitrary = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '😀',
  '👩‍👩‍👧‍👦',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '\u2028',
  'İß',
  'Ω≈ç√∫',
  'ＡＢＣ',
  '𝕒𝕓𝕔',
  'null',
  'true',
  '{}',
  '[]',
  '0',
  '-1',
  ' 42 ',
  '007',
  '1e3',
  '9007199254740993',
  'NaN',
);

const timestampArbitrary = fc.constantFrom(
  '2026-03-02T10:14:05.000-05:00',
  '2026-03-02T10:14:05',
  '2026-03-02',
  '2026-13-45T99:99:99Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  'yesterday',
  '0',
);

const emailArbitrary = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(' Avery.Lindqvist@Example.COM ', 'a@b', '@example.com', 'a@@b.c', '😀@例え.jp', 'a b@c.d', 'A@B.C'),
);

const numberArbitrary = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE),
);

// Capped well below the depth of about 4,000 levels at which JSON.stringify overflows the stack on Node 20.
const deepValueArbitrary = fc
  .tuple(fc.integer({ min: 50, max: 2000 }), fc.boolean(), fc.jsonValue({ maxDepth: 1 }))
  .map(([depth, useArrays, leaf]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level += 1) {
      value = useArrays ? [value] : { a: value };
    }
    return value;
  });

/** Values that replace a field: huge strings, unicode, numbers, null, arrays, objects and deep nesting. */
const fieldValueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hugeStringArbitrary },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: specialStringArbitrary },
  { weight: 1, arbitrary: timestampArbitrary },
  { weight: 1, arbitrary: emailArbitrary },
  { weight: 2, arbitrary: numberArbitrary },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ sku: fc.string(), quantity: numberArbitrary }), { maxLength: 60 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })) },
  { weight: 1, arbitrary: deepValueArbitrary },
  { weight: 1, arbitrary: fc.jsonValue({ stringUnit: 'grapheme' }) },
);

const keyArbitrary = fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.string({ unit: 'grapheme', maxLength: 10 }));

const pathArbitrary: fc.Arbitrary<FieldPath> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FOCUS_PATHS) },
  { weight: 2, arbitrary: fc.constantFrom(...FIXTURE_PATHS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...CONTAINER_PATHS), keyArbitrary)
      .map(([parent, key]): FieldPath => [...parent, key]),
  },
);

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('set' as const), path: pathArbitrary, value: fieldValueArbitrary }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), path: pathArbitrary }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('retype' as const),
      path: pathArbitrary,
      to: fc.constantFrom(
        'string' as const,
        'number' as const,
        'boolean' as const,
        'array' as const,
        'object' as const,
      ),
    }),
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------------------------

const fixtureArbitrary = fc.constantFrom(...FIXTURES);

function jsonBytes(value: unknown, indent: boolean): Buffer {
  return Buffer.from(JSON.stringify(value, null, indent ? 2 : undefined) ?? 'null', 'utf8');
}

/** A fixture with 0 to 4 mutations, sometimes with a new order id so the run starts many workflows. */
const mutatedFixtureArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .record({
    fixture: fixtureArbitrary,
    orderId: fc.option(fc.integer({ min: 1, max: 999_999_999 }), { freq: 2 }),
    mutations: fc.array(mutationArbitrary, { maxLength: 4 }),
    indent: fc.boolean(),
  })
  .map(({ fixture, orderId, mutations, indent }) => {
    const body = structuredClone(fixture.body);
    const changes: string[] = [];
    if (orderId !== null) {
      applyMutation(body, { op: 'set', path: ['order', 'id'], value: orderId });
      changes.push(`order.id = ${orderId}`);
    }
    for (const mutation of mutations) {
      changes.push(describeMutation(mutation, applyMutation(body, mutation)));
    }
    const origin = `${fixture.name}${changes.length === 0 ? ' unchanged' : ` with ${changes.join(', ')}`}`;
    return { origin, bytes: jsonBytes(body, indent) };
  });

/** A fixture whose serialized size is within 32 bytes of the limit, padded through one text field. */
const nearLimitFixtureArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .record({
    fixture: fixtureArbitrary,
    field: fc.constantFrom<FieldPath>(
      ['order', 'public_note'],
      ['order', 'ship_notes'],
      ['order', 'padding'],
      ['order', 'shipping_name'],
      ['order', 'order_orig'],
      ['order', 'status_name'],
      ['order', 'order_items', 0, 'description'],
    ),
    delta: fc.integer({ min: -32, max: 32 }),
    unit: fc.constantFrom('x', 'é', '€', '😀'),
  })
  .map(({ fixture, field, delta, unit }) => {
    const body = structuredClone(fixture.body);
    applyMutation(body, { op: 'set', path: field, value: '' });
    const needed = MAX_BODY_BYTES + delta - jsonBytes(body, false).length;
    const unitBytes = Buffer.byteLength(unit);
    const padding = needed > 0 ? unit.repeat(Math.floor(needed / unitBytes)) + 'x'.repeat(needed % unitBytes) : '';
    applyMutation(body, { op: 'set', path: field, value: padding });
    const bytes = jsonBytes(body, false);
    return { origin: `${fixture.name} with ${field.join('.')} padded with "${unit}" to ${bytes.length} bytes`, bytes };
  });

/** A deep array or object nesting, written as text because JSON.stringify cannot serialize the deeper ones. */
const deepNestingArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .record({
    fixture: fixtureArbitrary,
    field: fc.constantFrom<FieldPath>(
      [],
      ['order'],
      ['order', 'id'],
      ['order', 'email'],
      ['order', 'public_note'],
      ['order', 'order_items'],
      ['order', 'originator'],
    ),
    depth: fc.integer({ min: 100, max: 30_000 }),
    useArrays: fc.boolean(),
  })
  .map(({ fixture, field, depth, useArrays }) => {
    const nesting = useArrays
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);
    const body = structuredClone(fixture.body);
    let text = nesting;
    if (field.length > 0) {
      applyMutation(body, { op: 'set', path: field, value: DEEP_PLACEHOLDER });
      text = JSON.stringify(body).replace(`"${DEEP_PLACEHOLDER}"`, nesting);
    }
    const where = field.length > 0 ? `${fixture.name} at ${field.join('.')}` : 'the root';
    return { origin: `${depth} levels of ${useArrays ? 'arrays' : 'objects'} in ${where}`, bytes: Buffer.from(text) };
  });

/** A serialized fixture with bytes truncated, replaced, inserted or removed. */
const corruptedFixtureArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .record({
    fixture: fixtureArbitrary,
    edits: fc.array(
      fc.record({
        op: fc.constantFrom('truncate', 'replace', 'insert', 'remove'),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ fixture, edits }) => {
    let bytes = jsonBytes(fixture.body, false);
    for (const { op, at, byte } of edits) {
      const index = at % (bytes.length + 1);
      if (op === 'truncate') {
        bytes = bytes.subarray(0, index);
      } else if (op === 'insert') {
        bytes = Buffer.concat([bytes.subarray(0, index), Buffer.from([byte]), bytes.subarray(index)]);
      } else if (index < bytes.length) {
        const tail = bytes.subarray(index + 1);
        const replacement = op === 'replace' ? Buffer.from([byte]) : Buffer.alloc(0);
        bytes = Buffer.concat([bytes.subarray(0, index), replacement, tail]);
      }
    }
    const changes = edits.map(({ op, at, byte }) => `${op} at ${at} (byte ${byte})`).join(', ');
    return { origin: `${fixture.name} serialized, then ${changes}`, bytes };
  });

const eventNameArbitrary = fc.oneof(
  fc.constantFrom(
    'order.created',
    'order.shipped',
    'order.cancelled',
    'order.status_changed',
    'order.',
    'ORDER.Created',
    ' order.created ',
    'order',
    'orders.created',
    'item.created',
    'consumer_return.created',
    'shipnotice.received',
    '',
    '   ',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fieldValueArbitrary,
);

/** `{ event_name, order }` with any event name and an order of random fields, either key possibly absent. */
const envelopeArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .record(
    {
      event_name: eventNameArbitrary,
      order: fc.oneof(fc.dictionary(keyArbitrary, fieldValueArbitrary, { maxKeys: 6 }), fieldValueArbitrary),
    },
    { requiredKeys: [] },
  )
  .map((body) => ({ origin: `envelope ${preview(body)}`, bytes: jsonBytes(body, false) }));

const jsonValueArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .oneof(fc.jsonValue({ stringUnit: 'grapheme' }), fc.jsonValue({ stringUnit: 'binary' }))
  .map((value) => ({ origin: `JSON value ${preview(value)}`, bytes: jsonBytes(value, false) }));

const randomBytesArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .uint8Array({ maxLength: 1024 })
  .map((array) => ({ origin: `${array.length} random bytes`, bytes: Buffer.from(array) }));

/** Bytes within 32 of the limit, from a repeated random pattern. */
const nearLimitBytesArbitrary: fc.Arbitrary<GeneratedBody> = fc
  .tuple(fc.integer({ min: -32, max: 32 }), fc.uint8Array({ minLength: 1, maxLength: 16 }))
  .map(([delta, pattern]) => {
    const length = MAX_BODY_BYTES + delta;
    const bytes = Buffer.alloc(length, Buffer.from(pattern));
    return { origin: `${length} bytes repeating [${[...pattern].join(', ')}]`, bytes };
  });

const bodyArbitrary: fc.Arbitrary<GeneratedBody> = fc.oneof(
  { weight: 40, arbitrary: mutatedFixtureArbitrary },
  { weight: 8, arbitrary: nearLimitFixtureArbitrary },
  { weight: 5, arbitrary: deepNestingArbitrary },
  { weight: 8, arbitrary: corruptedFixtureArbitrary },
  { weight: 12, arbitrary: envelopeArbitrary },
  { weight: 8, arbitrary: jsonValueArbitrary },
  { weight: 8, arbitrary: randomBytesArbitrary },
  { weight: 3, arbitrary: nearLimitBytesArbitrary },
);

// ---------------------------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------------------------

const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
];

const OTHER_CONTENT_TYPES = [
  '',
  'text/plain',
  'text/plain; charset=utf-8',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'application/vnd.api+json',
  'application/ld+json',
  'application/jsonl',
  'application/*',
  '*/*',
  'json',
];

const contentTypeArbitrary: fc.Arbitrary<ContentType> = fc.oneof(
  { weight: 17, arbitrary: fc.constantFrom(...JSON_CONTENT_TYPES).map((value) => ({ value, json: true })) },
  { weight: 1, arbitrary: fc.constant({ value: null, json: false }) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES).map((value) => ({ value, json: false })) },
  {
    // Printable ASCII without a slash never parses as a media type. It is trimmed because fetch trims header values.
    weight: 1,
    arbitrary: fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 30 })
      .map((value) => ({ value: value.replaceAll('/', '').trim(), json: false })),
  },
);

const HEX_DIGITS = '0123456789abcdef'.split('');

const malformedSignatureArbitrary = fc.oneof(
  fc
    .string({ unit: fc.constantFrom(...HEX_DIGITS), minLength: 1, maxLength: 128 })
    .filter((text) => text.length !== 64),
  fc
    .tuple(fc.string({ unit: fc.constantFrom(...HEX_DIGITS), minLength: 64, maxLength: 64 }), fc.nat({ max: 63 }))
    .map(([hex, index]) => `${hex.slice(0, index)}g${hex.slice(index + 1)}`),
);

const signatureArbitrary: fc.Arbitrary<Signature> = fc.oneof(
  { weight: 40, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'valid-upper-case' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'missing' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'wrong-key' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'other-bytes' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sha256-prefix' as const }) },
  { weight: 2, arbitrary: malformedSignatureArbitrary.map((header) => ({ kind: 'malformed' as const, header })) },
);

// Mostly no Content-Encoding; the rest name one, compressed or not.
const contentEncodingArbitrary: fc.Arbitrary<ContentEncoding | null> = fc.oneof(
  { weight: 40, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom<ContentEncoding>('identity', 'gzip', 'deflate', 'br', 'x-unknown') },
);

/** Returns the `X-WHIPLASH-SIGNATURE` value to send, or null to send none. */
function signatureHeader(signature: Signature, bytes: Buffer): string | null {
  switch (signature.kind) {
    case 'valid':
      return signWhiplashBody(bytes, WEBHOOK_SECRET);
    case 'valid-upper-case':
      return signWhiplashBody(bytes, WEBHOOK_SECRET).toUpperCase();
    case 'missing':
      return null;
    case 'blank':
      return '';
    case 'wrong-key':
      return signWhiplashBody(bytes, `${WEBHOOK_SECRET}-other`);
    case 'other-bytes':
      return signWhiplashBody(Buffer.concat([bytes, Buffer.from('\n')]), WEBHOOK_SECRET);
    case 'sha256-prefix':
      return `sha256=${signWhiplashBody(bytes, WEBHOOK_SECRET)}`;
    case 'malformed':
      return signature.header;
  }
}

/** The 401 error each rejected signature must get, or null when the signature is accepted. */
function signatureError(signature: Signature): RegExp | null {
  switch (signature.kind) {
    case 'valid':
    case 'valid-upper-case':
      return null;
    case 'missing':
    case 'blank':
      return /X-WHIPLASH-SIGNATURE header is missing/;
    case 'malformed':
    case 'sha256-prefix':
      return /X-WHIPLASH-SIGNATURE header is not a 64-character hex/;
    case 'wrong-key':
    case 'other-bytes':
      return /X-WHIPLASH-SIGNATURE header does not match the body/;
  }
}

const caseArbitrary: fc.Arbitrary<FuzzCase> = fc
  .record({
    body: bodyArbitrary,
    contentType: contentTypeArbitrary,
    contentEncoding: contentEncodingArbitrary,
    signature: signatureArbitrary,
  })
  .map(({ body, contentType, contentEncoding, signature }) => ({
    origin: body.origin,
    bytes: body.bytes,
    contentType,
    contentEncoding,
    signature,
    // Keeps counterexamples short: the bytes of a 64 kB body would bury the description.
    [fc.toStringMethod]: () => {
      const start = body.bytes.subarray(0, 120).toString('utf8');
      return (
        `${body.origin}; body of ${body.bytes.length} bytes starting ${JSON.stringify(start)}; ` +
        `content-type ${JSON.stringify(contentType.value)}; content-encoding ${JSON.stringify(contentEncoding)}; ` +
        `signature ${JSON.stringify(signature)}`
      );
    },
  }));

// ---------------------------------------------------------------------------------------------------------------
// Expected responses
// ---------------------------------------------------------------------------------------------------------------

/**
 * Predicts the response from the route's documented order of checks: content encoding, size limit, signature,
 * content type, JSON syntax, then the webhook body parser.
 */
function expectedResponse(fuzzCase: FuzzCase): Expected {
  if (fuzzCase.contentEncoding !== null && fuzzCase.contentEncoding !== 'identity') {
    return { status: 415, header: 'Content-Encoding' };
  }
  if (fuzzCase.bytes.length > MAX_BODY_BYTES) {
    return { status: 413 };
  }
  const error = signatureError(fuzzCase.signature);
  if (error !== null) {
    return { status: 401, error };
  }
  if (!fuzzCase.contentType.json) {
    return { status: 415, header: 'Content-Type' };
  }
  let json: unknown;
  try {
    json = JSON.parse(fuzzCase.bytes.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  const parsed = parseWebhookBody(json);
  switch (parsed.kind) {
    case 'invalid':
      return { status: 422, issuePaths: parsed.issues.map((issue) => issue.path) };
    case 'ignored':
      return { status: 200, eventName: parsed.eventName };
    case 'order':
      return { status: 202, workflowId: orderWorkflowId(parsed.event.orderId) };
  }
}

function assertNonEmptyString(value: unknown, fieldName: string): asserts value is string {
  assert.equal(typeof value, 'string', `${fieldName} must be a string, but it is ${preview(value)}`);
  assert.notEqual((value as string).trim(), '', `${fieldName} must not be blank`);
}

/** Checks the body every response with this status must have, whatever the request was. */
function assertStatusContract(status: number, body: ResponseBody): void {
  if (status === 202) {
    assert.equal(body.status, 'accepted');
    assertNonEmptyString(body.workflowId, 'workflowId');
    return;
  }
  if (status === 200) {
    assert.equal(body.status, 'ignored');
    return;
  }
  assertNonEmptyString(body.error, `error of the ${status} response`);
  if (status === 401) {
    assert.equal(body.header, 'X-WHIPLASH-SIGNATURE', 'A 401 response must name the signature header');
  }
  if (status === 415) {
    assertNonEmptyString(body.header, 'header of the 415 response');
  }
  if (status === 422) {
    assert.ok(Array.isArray(body.issues), `issues must be an array, but it is ${preview(body.issues)}`);
    assert.ok(body.issues.length > 0, 'issues must not be empty');
    for (const issue of body.issues as { path?: unknown; message?: unknown }[]) {
      assertNonEmptyString(issue.path, 'issue path');
      assertNonEmptyString(issue.message, `message of issue ${String(issue.path)}`);
    }
  }
}

/** Checks the details of a response body that the prediction fixes. */
function assertPredictedBody(body: ResponseBody, expected: Expected, fuzzCase: FuzzCase): void {
  switch (expected.status) {
    case 202:
      assert.equal(body.workflowId, expected.workflowId);
      return;
    case 200:
      assert.equal(body.eventName, expected.eventName);
      assertNonEmptyString(body.reason, 'reason');
      return;
    case 401:
      assert.match(body.error as string, expected.error);
      return;
    case 415:
      assert.equal(body.header, expected.header);
      if (expected.header === 'Content-Encoding') {
        assert.match(body.error as string, /must not be compressed/);
        assert.equal(body.received, fuzzCase.contentEncoding);
      } else {
        assert.match(body.error as string, /Content-Type must be application\/json/);
        assert.equal(body.received, fuzzCase.contentType.value);
      }
      return;
    case 400:
      assert.match(body.error as string, /The body is not valid JSON/);
      return;
    case 413:
      assert.match(body.error as string, new RegExp(`larger than the ${MAX_BODY_BYTES}-byte limit`));
      return;
    case 422: {
      const paths = (body.issues as { path: string }[]).map((issue) => issue.path);
      assert.deepEqual(paths, expected.issuePaths);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------------------------

describe('POST /webhooks/whiplash fuzzing', () => {
  let server: RunningDevServer;
  let connection: Connection;
  let client: Client;
  let api: Server;
  let apiUrl: string;
  const taskQueue = `fuzz-${Math.random().toString(36).slice(2, 10)}`;

  before(async () => {
    const cliPath = ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, process.env.PATH);
    server = await startDevServer({ cliPath, searchAttributes: ALL_SEARCH_ATTRIBUTES });
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection });

    // No worker polls this task queue: the endpoint only signal-with-starts, which Temporal stores without one.
    const input = buildOrderWorkflowInput('test', `${taskQueue}-gorgias`, {
      settlePeriodMs: 60_000,
      debounceWindowMs: 200,
      idleTimeoutMs: 600_000,
      maxWidgetOrders: 20,
    });
    const app = createApp({
      logger: logger.child({}, { level: 'silent' }),
      maxBodyBytes: MAX_BODY_BYTES,
      webhookSecrets: [WEBHOOK_SECRET],
      target: { client, taskQueue, input },
    });
    api = app.listen(0, '127.0.0.1');
    await once(api, 'listening');
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  after(async () => {
    if (api) {
      await new Promise((resolve) => api.close(resolve));
    }
    await connection?.close();
    await server?.stop();
  });

  test('keeps its contract for fuzzed requests', async (t) => {
    const statusCounts = new Map<number, number>();
    const acceptedWorkflowIds = new Set<string>();

    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (fuzzCase) => {
        const headers: Record<string, string> = {};
        if (fuzzCase.contentType.value !== null) {
          headers['content-type'] = fuzzCase.contentType.value;
        }
        if (fuzzCase.contentEncoding !== null) {
          headers['content-encoding'] = fuzzCase.contentEncoding;
        }
        const signature = signatureHeader(fuzzCase.signature, fuzzCase.bytes);
        if (signature !== null) {
          headers['x-whiplash-signature'] = signature;
        }
        const response = await fetch(`${apiUrl}/webhooks/whiplash`, { method: 'POST', headers, body: fuzzCase.bytes });
        const text = await response.text();

        statusCounts.set(response.status, (statusCounts.get(response.status) ?? 0) + 1);
        let body: ResponseBody;
        try {
          body = JSON.parse(text) as ResponseBody;
        } catch {
          assert.fail(`The ${response.status} response body is not JSON: ${preview(text)}`);
        }
        if (response.status === 202 && typeof body.workflowId === 'string') {
          acceptedWorkflowIds.add(body.workflowId);
        }

        assert.ok(response.status < 500, `The endpoint returned ${response.status} with ${preview(text)}`);
        assert.ok(
          EXPECTED_STATUSES.includes(response.status),
          `Unexpected status ${response.status}: ${preview(text)}`,
        );
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assertStatusContract(response.status, body);

        const expected = expectedResponse(fuzzCase);
        assert.equal(response.status, expected.status, `Unexpected status; the body is ${preview(text)}`);
        assertPredictedBody(body, expected, fuzzCase);
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true },
    );

    const counts = [...statusCounts.entries()].sort(([a], [b]) => a - b);
    t.diagnostic(`Responses by status: ${counts.map(([status, count]) => `${status}: ${count}`).join(', ')}`);

    const health = await fetch(`${apiUrl}/healthz`);
    assert.equal(health.status, 200);

    // Visibility lags the signal-with-start calls by a moment, so the listing is retried until it matches.
    await eventually(async () => {
      const listed = new Set<string>();
      for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
        listed.add(execution.workflowId);
      }
      const unexpected = [...listed].filter((workflowId) => !acceptedWorkflowIds.has(workflowId));
      const missing = [...acceptedWorkflowIds].filter((workflowId) => !listed.has(workflowId));
      assert.deepEqual(unexpected, [], 'Workflows were started without a 202 response');
      assert.deepEqual(missing, [], 'Workflows answered with 202 are missing from Temporal');
    });

    // NOTE: 200 is the rarest status, at about 4% of cases in 10,000-run samples, so a run of fewer than about
    // 150 cases can miss it by chance and fail here.
    for (const status of EXPECTED_STATUSES) {
      assert.ok((statusCounts.get(status) ?? 0) > 0, `No request got ${status}, so that branch went untested`);
    }
  });
});
