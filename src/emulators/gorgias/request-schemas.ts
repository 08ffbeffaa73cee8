import { z } from 'zod';

import type { Request, Response } from 'express';

import { sendGorgiasError, type FieldErrors } from './responses';
import type { CustomerFilter } from './types';

const channelSchema = z.object({
  type: z.string().min(1),
  address: z.string().min(1),
  preferred: z.boolean().optional(),
});

const customerFieldSchemas = {
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  firstname: z.string().nullable().optional(),
  lastname: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  timezone: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).nullable().optional(),
};

/** Body of `POST /api/customers`, where Gorgias requires `channels`. */
export const createCustomerBodySchema = z.strictObject({ ...customerFieldSchemas, channels: z.array(channelSchema) });

/** Body of `PUT /api/customers/{id}` and of a merge, with every field optional. */
export const updateCustomerBodySchema = z.strictObject({
  ...customerFieldSchemas,
  channels: z.array(channelSchema).optional(),
});

/** Body of `PUT /api/customers/{id}/data`. */
export const customerDataBodySchema = z.strictObject({
  data: z.record(z.string(), z.unknown()),
  version: z.string().nullable().optional(),
});

/**
 * Parses the request body with `schema`. On failure, sends Gorgias's 400 with one entry per invalid field and
 * returns null, so a route only checks for null.
 */
export function parseBodyOrReject<T>(schema: z.ZodType<T>, req: Request, res: Response): T | null {
  const body = schema.safeParse(req.body ?? {});
  if (body.success) return body.data;
  const { msg, data } = describeBodyErrors(body.error);
  sendGorgiasError(res, 400, msg, data);
  return null;
}

/** Converts zod issues to a Gorgias error message and its `data` of field errors. */
export function describeBodyErrors(error: z.ZodError): { msg: string; data: FieldErrors } {
  const data: FieldErrors = {};
  for (const issue of error.issues) {
    const fields = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.map(String).join('.') || 'body'];
    for (const field of fields) {
      (data[field] ??= []).push(issue.code === 'unrecognized_keys' ? 'Unknown field.' : issue.message);
    }
  }
  const summary = Object.entries(data).map(([field, reasons]) => `${field}: ${reasons.join(', ')}`);
  return { msg: `Invalid request body: ${summary.join('; ')}`, data };
}

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a data `version` such as `2024-05-13T12:34:21.918927` to epoch microseconds, keeping microseconds that
 * a Date would drop. A version without a zone is read as UTC. Returns null when the value is not an ISO datetime.
 */
export function parseVersion(value: string): number | null {
  const match = ISO_DATETIME.exec(value);
  if (!match) {
    return null;
  }
  const [, dateTime = '', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${dateTime}${zone}`);
  if (Number.isNaN(ms)) {
    return null;
  }
  return ms * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/** Validated query of `GET /api/customers`. */
export interface ListQuery {
  filter: CustomerFilter;
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
}

/** A rejected query: the message names the parameter. */
export interface QueryError {
  msg: string;
  parameter: string;
}

const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 100;
const LIST_PARAMETERS = new Set([
  'email',
  'external_id',
  'channel_type',
  'channel_address',
  'cursor',
  'limit',
  'order_by',
]);
// Filters the Gorgias docs list for this endpoint that the emulator does not model.
const UNMODELLED_PARAMETERS = new Set(['language', 'timezone', 'name', 'view_id']);

/** Validates the list query. Like Gorgias, it rejects unknown parameters with 400. */
export function parseListQuery(query: Record<string, unknown>): ListQuery | QueryError {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (UNMODELLED_PARAMETERS.has(name)) {
      return { parameter: name, msg: `Query parameter ${name} is not supported by the Gorgias emulator` };
    }
    if (!LIST_PARAMETERS.has(name)) {
      return { parameter: name, msg: `Unknown query parameter: ${name}` };
    }
    if (typeof value !== 'string') {
      return { parameter: name, msg: `Query parameter ${name} must be given once` };
    }
    params[name] = value;
  }

  const limit = params.limit === undefined ? DEFAULT_PAGE_SIZE : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    return { parameter: 'limit', msg: `Invalid limit: must be an integer from 1 to ${MAX_PAGE_SIZE}` };
  }
  const offset = params.cursor === undefined ? 0 : decodeCursor(params.cursor);
  if (offset === null) {
    return { parameter: 'cursor', msg: 'Invalid cursor' };
  }
  // NOTE: Gorgias does not document the default order. Third-party clients report newest first for the live API.
  const order = params.order_by === undefined ? 'desc' : parseOrder(params.order_by);
  if (order === null) {
    return { parameter: 'order_by', msg: 'Invalid order_by: use created_datetime:asc or created_datetime:desc' };
  }

  const filter: CustomerFilter = {
    email: params.email,
    externalId: params.external_id,
    channelType: params.channel_type,
    channelAddress: params.channel_address,
  };
  return { filter, offset, limit, order };
}

/** Encodes a list offset as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}. Returns null when it is not one. */
export function decodeCursor(cursor: string): number | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const offset = (decoded as { offset?: unknown } | null)?.offset;
    return Number.isSafeInteger(offset) && (offset as number) >= 0 ? (offset as number) : null;
  } catch {
    return null;
  }
}

function parseOrder(orderBy: string): 'asc' | 'desc' | null {
  if (orderBy === 'created_datetime:asc') {
    return 'asc';
  }
  return orderBy === 'created_datetime:desc' ? 'desc' : null;
}
