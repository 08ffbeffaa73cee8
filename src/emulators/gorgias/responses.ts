import type { Response } from 'express';

/** Field name to reasons, as in the `data` of a Gorgias error body. */
export type FieldErrors = Record<string, string[]>;

/**
 * Sends an error in the body shape the Gorgias API docs show: `{"error": {"msg": "…", "data": {…}}}`,
 * with `data` only when field errors are given.
 */
export function sendGorgiasError(res: Response, status: number, msg: string, data?: FieldErrors): void {
  res.status(status).json({ error: data ? { msg, data } : { msg } });
}

const ROUTE_TEMPLATES: [RegExp, string][] = [
  [/^\/api\/customers\/?$/, '/api/customers'],
  [/^\/api\/customers\/merge\/?$/, '/api/customers/merge'],
  [/^\/api\/customers\/[^/]+\/?$/, '/api/customers/:id'],
  [/^\/api\/customers\/[^/]+\/data\/?$/, '/api/customers/:id/data'],
  [/^\/api\/widgets\/?$/, '/api/widgets'],
  [/^\/api\/widgets\/[^/]+\/?$/, '/api/widgets/:id'],
];

/** Maps a request path to its route template, so log entries group by endpoint. Unknown paths are returned as is. */
export function toRouteTemplate(path: string): string {
  for (const [pattern, template] of ROUTE_TEMPLATES) {
    if (pattern.test(path)) {
      return template;
    }
  }
  return path;
}
