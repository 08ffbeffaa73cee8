import { z } from 'zod';

import { GorgiasResponseError } from './errors';
import type { TransportRequest } from './http';

/**
 * Response schemas for the Gorgias endpoints the client calls. Objects are loose, so fields that are not listed
 * here pass through untouched. Gorgias adds fields over time, and a new one must not break the sync.
 */

/** A customer channel such as an email address or a phone number. */
export const gorgiasChannelSchema = z.looseObject({
  type: z.string(),
  address: z.string(),
  preferred: z.boolean().optional(),
});

/** A customer as returned by `GET /api/customers/{id}`, `POST /api/customers` and the list endpoint. */
export const gorgiasCustomerSchema = z.looseObject({
  id: z.number().int(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  firstname: z.string().nullable().optional(),
  lastname: z.string().nullable().optional(),
  channels: z.array(gorgiasChannelSchema).optional(),
  data: z.unknown().optional(),
  created_datetime: z.string().optional(),
});

/** One page of `GET /api/customers`, which uses cursor pagination. */
export const gorgiasCustomerPageSchema = z.looseObject({
  data: z.array(gorgiasCustomerSchema),
  meta: z.looseObject({
    next_cursor: z.string().nullable().optional(),
    prev_cursor: z.string().nullable().optional(),
  }),
});

/**
 * A sidebar widget as returned by `GET /api/widgets`, `GET /api/widgets/{id}`, `POST /api/widgets` and
 * `PUT /api/widgets/{id}`. The template is not checked here, because the list also returns widgets of other
 * integrations whose templates this client does not need to understand.
 */
export const gorgiasWidgetSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  /** Missing or null is read as `ticket`, the documented default. */
  context: z.string().nullable().optional(),
  template: z.unknown(),
  order: z.number().nullable().optional(),
  integration_id: z.number().int().nullable().optional(),
  app_id: z.string().nullable().optional(),
  deactivated_datetime: z.string().nullable().optional(),
  created_datetime: z.string().optional(),
  updated_datetime: z.string().optional(),
});

/** One page of `GET /api/widgets`, which uses cursor pagination. */
export const gorgiasWidgetPageSchema = z.looseObject({
  data: z.array(gorgiasWidgetSchema),
  meta: z.looseObject({
    next_cursor: z.string().nullable().optional(),
    prev_cursor: z.string().nullable().optional(),
  }),
});

/** A Gorgias customer channel. Unknown fields such as `id` are kept. */
export type GorgiasChannel = z.infer<typeof gorgiasChannelSchema>;

/** A Gorgias customer. Its `data` is the sidebar blob written through `PUT /api/customers/{id}/data`. */
export type GorgiasCustomer = z.infer<typeof gorgiasCustomerSchema>;

/** A Gorgias sidebar widget. Unknown fields are kept. */
export type GorgiasWidget = z.infer<typeof gorgiasWidgetSchema>;

/** One page of widgets with the cursors of the neighbouring pages. */
export type GorgiasWidgetPage = z.infer<typeof gorgiasWidgetPageSchema>;

/** Formats the first zod issues as `path: message` pairs, for an error message. */
export function describeIssues(error: z.ZodError, maxIssues = 3): string {
  const described = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - described.length;
  return more > 0 ? `${described.join('; ')} (and ${more} more)` : described.join('; ');
}

/** Parses a 2xx response body with `schema`. Throws a GorgiasResponseError naming the first mismatches. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  request: TransportRequest,
  status: number,
): z.output<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new GorgiasResponseError(request.method, request.path, status, describeIssues(result.error));
  }
  return result.data;
}
