import { z } from 'zod';

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

/** A Gorgias customer channel. Unknown fields such as `id` are kept. */
export type GorgiasChannel = z.infer<typeof gorgiasChannelSchema>;

/** A Gorgias customer. Its `data` is the sidebar blob written through `PUT /api/customers/{id}/data`. */
export type GorgiasCustomer = z.infer<typeof gorgiasCustomerSchema>;

/** Formats the first zod issues as `path: message` pairs, for an error message. */
export function describeIssues(error: z.ZodError, maxIssues = 3): string {
  const described = error.issues.slice(0, maxIssues).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length - described.length;
  return more > 0 ? `${described.join('; ')} (and ${more} more)` : described.join('; ');
}
