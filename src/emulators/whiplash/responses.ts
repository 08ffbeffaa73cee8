import type { Response } from 'express';

/** Sends an error in the body shape the Whiplash API documents: `{"message": "…"}`. */
export function sendWhiplashError(res: Response, status: number, message: string): void {
  res.status(status).json({ message });
}

/** Sends an OAuth2 token endpoint error: `{"error": "…", "error_description": "…"}` (RFC 6749, section 5.2). */
export function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

const ROUTE_TEMPLATES: [RegExp, string][] = [
  [/^\/api\/v2\/orders\/?$/, '/api/v2/orders'],
  [/^\/api\/v2\/orders\/count\/?$/, '/api/v2/orders/count'],
  [/^\/api\/v2\/orders\/[^/]+\/?$/, '/api/v2/orders/:id'],
  [/^\/oauth\/token\/?$/, '/oauth/token'],
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
