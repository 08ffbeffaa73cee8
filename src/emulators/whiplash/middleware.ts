import type { RequestHandler } from 'express';

import type { WhiplashEmulatorState } from './emulator-state';
import { sendWhiplashError, toRouteTemplate } from './responses';

const INJECTED_STATUSES = [500, 502, 503] as const;

/** Logs each request with its route template and final status once the response is finished. */
export function logRequests(state: WhiplashEmulatorState): RequestHandler {
  return (req, res, next) => {
    const path = toRouteTemplate(req.originalUrl.split('?')[0] ?? '');
    res.on('finish', () => state.requestLog.recordResponse(req.method, path, res.statusCode));
    next();
  };
}

/**
 * Counts the request for the stats, then applies the account's rate limit. A rejected request gets a 429 without
 * `Retry-After` or any rate-limit header, because Whiplash documents none.
 */
export function limitRate(state: WhiplashEmulatorState): RequestHandler {
  return (_req, res, next) => {
    state.requestLog.recordApiArrival();
    const limiter = state.rateLimiter;
    if (!limiter || limiter.offer()) {
      next();
      return;
    }
    state.requestLog.recordRateLimited();
    sendWhiplashError(res, 429, `Too many requests: this account allows ${limiter.limitPerSecond} requests per second`);
  };
}

/**
 * Accepts `Authorization: Bearer <access token>` with a token the emulator issued and that has not expired, and
 * rejects anything else with 401 and a `WWW-Authenticate` header as RFC 6750 describes.
 */
export function authenticate(state: WhiplashEmulatorState): RequestHandler {
  return (req, res, next) => {
    const [scheme, token = ''] = (req.get('authorization') ?? '').trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'bearer' || token === '') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="Whiplash"');
      sendWhiplashError(res, 401, 'Authentication required: send Authorization: Bearer <access token>');
      return;
    }

    const check = state.tokens.check(token);
    if (check === 'valid') {
      next();
      return;
    }
    const description = check === 'expired' ? 'The access token expired' : 'The access token is invalid';
    res.setHeader(
      'WWW-Authenticate',
      `Bearer realm="Whiplash", error="invalid_token", error_description="${description}"`,
    );
    sendWhiplashError(res, 401, description);
  };
}

/**
 * Fails a share of requests with 500, 502 or 503 before they reach a route. The 502 has an HTML body, as a proxy
 * in front of the API would send, so that clients meet a body that is not JSON.
 */
export function injectFaults(state: WhiplashEmulatorState): RequestHandler {
  return (_req, res, next) => {
    const { serverErrorRate } = state.config.faults;
    if (serverErrorRate <= 0 || state.random() >= serverErrorRate) {
      next();
      return;
    }

    const index = Math.min(INJECTED_STATUSES.length - 1, Math.floor(state.random() * INJECTED_STATUSES.length));
    const status = INJECTED_STATUSES[index] ?? 500;
    if (status === 502) {
      res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const reason = status === 500 ? 'Internal server error' : 'Service unavailable';
    sendWhiplashError(res, status, `${reason} (injected by the emulator)`);
  };
}
