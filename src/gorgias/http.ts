import { RequestPacer } from '../http/request-pacer';
import { GorgiasApiError, GorgiasNetworkError, GorgiasResponseError, type RedactedRequest } from './errors';
import type { GorgiasRequestBudget } from './options';

/** Timing and outcome of one request, for metrics. */
export interface GorgiasResponseInfo {
  method: string;
  /** Path template such as `/api/customers/:id/data`, so that metrics do not get one series per customer. */
  route: string;
  /** The HTTP status, or why no response arrived. */
  status: number | 'timeout' | 'network_error';
  durationMs: number;
}

/** Settings of the fetch wrapper, already validated by the client. */
export interface TransportOptions {
  /** Origin plus optional path prefix, without a trailing slash. */
  baseUrl: string;
  /** Complete `Authorization` header value. */
  authorization: string;
  timeoutMs: number;
  /** When set, every request waits for a slot of this budget before it starts. */
  requestBudget?: GorgiasRequestBudget;
  onResponse?: (info: GorgiasResponseInfo) => void;
}

/** One request to the Gorgias API. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Path and query string, starting with `/api/`. */
  path: string;
  route: string;
  /** Sent as JSON when given. */
  body?: unknown;
  signal?: AbortSignal;
}

/** A 2xx response with its parsed JSON body, which is null when the body is empty. */
export interface TransportResponse {
  status: number;
  body: unknown;
}

/** Sends one request and returns its 2xx response, or throws a Gorgias error. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

// Requests reach Gorgias with network jitter, so two requests sent one window apart can arrive closer together,
// and the margin absorbs that. Without jitter no margin would be needed. Gorgias counts requests in a leaky bucket
// that drains continuously, and N starts in any sliding window never overfill a bucket of capacity N that drains N
// per window.
const BUDGET_WINDOW_MARGIN_MS = 250;

/**
 * Creates the fetch wrapper behind the client. With a request budget, each request first waits for the pacer,
 * whose window is `windowMs` plus a 250 ms margin. Then it has a timeout of `timeoutMs`, covering the body too.
 *
 * Redirects are never followed, because Gorgias responds to `PUT /api/customers/{id}/data` with a 301 when the
 * customer was merged into another. The caller must see that instead of silently writing to the merge target.
 */
export function createTransport(options: TransportOptions): Transport {
  const budget = options.requestBudget;
  const pacer = budget ? new RequestPacer(budget.requests, budget.windowMs + BUDGET_WINDOW_MARGIN_MS) : null;

  return async (request) => {
    // The wait comes before the timeout signal is created, so a long wait cannot time the request out. An abort
    // rejects with the signal's own reason, like an abort during the request.
    await pacer?.acquire(request.signal);

    const url = `${options.baseUrl}${request.path}`;
    const headers = buildHeaders(options.authorization, request.body !== undefined);
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (request.signal) {
      signals.push(request.signal);
    }

    const startedAt = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: 'manual',
        signal: AbortSignal.any(signals),
      });
      text = await response.text();
    } catch (err) {
      const failure = toNetworkError(err, request, options.timeoutMs);
      if (failure instanceof GorgiasNetworkError) {
        const status = failure.timedOut ? 'timeout' : 'network_error';
        options.onResponse?.({ method: request.method, route: request.route, status, durationMs: elapsed(startedAt) });
      }
      throw failure;
    }
    options.onResponse?.({
      method: request.method,
      route: request.route,
      status: response.status,
      durationMs: elapsed(startedAt),
    });

    if (response.status < 200 || response.status > 299) {
      throw buildApiError(request, response, text, redactRequest(request.method, url, headers));
    }
    return { status: response.status, body: parseJsonBody(text, request, response.status) };
  };
}

function elapsed(startedAt: number): number {
  return performance.now() - startedAt;
}

function buildHeaders(authorization: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', authorization };
  if (hasBody) {
    headers['content-type'] = 'application/json';
  }
  return headers;
}

function buildApiError(
  request: TransportRequest,
  response: Response,
  text: string,
  redactedRequest: RedactedRequest,
): GorgiasApiError {
  return new GorgiasApiError({
    method: request.method,
    path: request.path,
    status: response.status,
    statusText: response.statusText,
    responseHeaders: response.headers,
    responseBody: text,
    request: redactedRequest,
  });
}

function parseJsonBody(text: string, request: TransportRequest, status: number): unknown {
  if (text.trim() === '') {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GorgiasResponseError(request.method, request.path, status, 'the body is not valid JSON');
  }
}

/**
 * Wraps a fetch failure in a GorgiasNetworkError. An abort through the caller's own signal is re-thrown as is,
 * because a cancelled call is not a Gorgias failure and must not be retried.
 */
function toNetworkError(err: unknown, request: TransportRequest, timeoutMs: number): unknown {
  if (request.signal?.aborted) {
    return request.signal.reason;
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new GorgiasNetworkError(request.method, request.path, `timed out after ${timeoutMs} ms`, err, true);
  }

  // undici rejects with TypeError('fetch failed') and puts the system error (ECONNREFUSED, ENOTFOUND) in `cause`.
  let reason = String(err);
  if (err instanceof Error) {
    reason = err.cause instanceof Error ? err.cause.message : err.message;
  }
  return new GorgiasNetworkError(request.method, request.path, reason, err);
}

function redactRequest(method: string, url: string, headers: Record<string, string>): RedactedRequest {
  return { method, url, headers: { ...headers, authorization: '[redacted]' } };
}
