import { setTimeout as delay } from 'node:timers/promises';

import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { GorgiasEmulatorState } from './emulator-state';
import { sendGorgiasError, toRouteTemplate } from './responses';

const CALL_LIMIT_HEADER = 'X-Gorgias-Account-Api-Call-Limit';
const INJECTED_STATUSES = [500, 502, 503] as const;

/** Logs each `/api` request with its route template and final status once the response is finished. */
export function logRequests(state: GorgiasEmulatorState): RequestHandler {
  return (req, res, next) => {
    const path = toRouteTemplate(req.originalUrl.split('?')[0] ?? '');
    res.on('finish', () => state.requestLog.recordResponse(req.method, path, res.statusCode));
    next();
  };
}

/** Delays each request by `latencyMs` plus a random share of `latencyJitterMs`. */
export function addLatency(state: GorgiasEmulatorState): RequestHandler {
  return async (_req, _res, next) => {
    const { latencyMs, latencyJitterMs = 0 } = state.config.faults;
    const jitterMs = latencyJitterMs > 0 ? state.random() * latencyJitterMs : 0;
    if (latencyMs + jitterMs > 0) {
      await delay(latencyMs + jitterMs);
    }
    next();
  };
}

/**
 * Applies the account's leaky bucket. Every response it lets through, and every 429, carries the call-limit
 * header. A rejected request gets `Retry-After` in whole seconds and does not enter the bucket.
 */
export function limitRate(state: GorgiasEmulatorState): RequestHandler {
  return (_req, res, next) => {
    state.requestLog.recordArrival();
    const bucket = state.rateLimiter;
    if (!bucket) {
      next();
      return;
    }

    const decision = bucket.offer();
    state.requestLog.recordBucketLevel(decision.level);
    res.setHeader(CALL_LIMIT_HEADER, `${decision.used}/${decision.limit}`);
    if (decision.retryAfterSeconds !== null) {
      state.requestLog.recordRateLimited(decision.retryAfterSeconds);
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      sendGorgiasError(res, 429, 'Too many requests: the API call limit of this account is reached');
      return;
    }
    next();
  };
}

/** Accepts HTTP Basic `username:apiKey` or `Bearer accessToken` and rejects anything else with 401. */
export function authenticate(state: GorgiasEmulatorState): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      sendGorgiasError(res, 401, 'Authentication required: send HTTP Basic credentials or a Bearer token');
      return;
    }
    if (!isAcceptedAuthorization(header, state)) {
      sendGorgiasError(res, 401, 'Invalid credentials');
      return;
    }
    next();
  };
}

/**
 * Rejects every request with `rejectWithStatus` while it is set. Otherwise fails a share of requests with 500,
 * 502 or 503 before they reach a route, so an injected failure never changes state. Each status has its own body
 * shape (Gorgias JSON error, proxy HTML page, `message` JSON), so that clients meet every shape they must parse.
 */
export function injectFaults(state: GorgiasEmulatorState): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const { serverErrorRate, rejectWithStatus } = state.config.faults;
    if (rejectWithStatus !== undefined && rejectWithStatus !== null) {
      sendGorgiasError(res, rejectWithStatus, `Request rejected with ${rejectWithStatus} (injected by the emulator)`);
      return;
    }
    if (serverErrorRate <= 0 || state.random() >= serverErrorRate) {
      next();
      return;
    }

    const index = Math.min(INJECTED_STATUSES.length - 1, Math.floor(state.random() * INJECTED_STATUSES.length));
    const status = INJECTED_STATUSES[index] ?? 500;
    if (status === 500) {
      sendGorgiasError(res, 500, 'Internal server error (injected by the emulator)');
    } else if (status === 502) {
      res.status(502).type('html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
    } else {
      res.status(503).json({ message: 'Service unavailable (injected by the emulator)' });
    }
  };
}

function isAcceptedAuthorization(header: string, state: GorgiasEmulatorState): boolean {
  const [scheme, value = ''] = header.split(/\s+/, 2);
  const { username, apiKey, accessToken } = state.credentials;

  if (scheme?.toLowerCase() === 'bearer') {
    return value === accessToken;
  }
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    return separator >= 0 && decoded.slice(0, separator) === username && decoded.slice(separator + 1) === apiKey;
  }
  return false;
}
