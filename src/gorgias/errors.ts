/** A request as attached to an error, with the `authorization` header value replaced by `[redacted]`. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** Everything {@link GorgiasApiError} is built from: one non-2xx response to one request. */
export interface GorgiasApiErrorOptions {
  method: string;
  /** Path and query string, without scheme and host. */
  path: string;
  status: number;
  statusText: string;
  responseHeaders: Headers;
  /** Raw response body. The error keeps only the Gorgias message from it. */
  responseBody: string;
  request: RedactedRequest;
  /** Current time in epoch ms, used to turn an HTTP-date `Retry-After` into a delay. */
  nowMs?: number;
}

const CALL_LIMIT_HEADER = 'x-gorgias-account-api-call-limit';

/**
 * A response from Gorgias with a status outside 2xx, including a 3xx because the client never follows redirects.
 *
 * The message names the method and the path without its query string, because the query of a customer look-up
 * contains an email address and messages end up in logs and workflow histories.
 */
export class GorgiasApiError extends Error {
  override readonly name = 'GorgiasApiError';
  readonly status: number;
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  /** The message Gorgias put in the body (`error.msg`, `error` or `message`), or null when there is none. */
  readonly gorgiasMessage: string | null;
  /** Delay requested by the `Retry-After` header in ms, or null when the header is missing or invalid. */
  readonly retryAfterMs: number | null;
  /** The `X-Gorgias-Account-Api-Call-Limit` header (`used/limit`, e.g. `10/40`), or null when missing. */
  readonly callLimit: string | null;
  /** The `Location` header, which Gorgias sends with the 301 for a merged customer, or null when missing. */
  readonly location: string | null;
  readonly request: RedactedRequest;

  constructor(options: GorgiasApiErrorOptions) {
    const gorgiasMessage = parseGorgiasMessage(options.responseBody);
    const reason = gorgiasMessage ?? options.statusText;
    const pathname = options.path.split('?')[0];
    super(`Gorgias ${options.method} ${pathname} failed with ${options.status}${reason ? `: ${reason}` : ''}`);

    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
    this.gorgiasMessage = gorgiasMessage;
    this.retryAfterMs = parseRetryAfter(options.responseHeaders.get('retry-after'), options.nowMs ?? Date.now());
    this.callLimit = options.responseHeaders.get(CALL_LIMIT_HEADER);
    this.location = options.responseHeaders.get('location');
    this.request = options.request;
  }
}

/** A request to Gorgias that got no response: timeout, DNS failure, refused or reset connection. */
export class GorgiasNetworkError extends Error {
  override readonly name = 'GorgiasNetworkError';
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  /** True when no response arrived within the client's timeout. */
  readonly timedOut: boolean;

  constructor(method: string, path: string, reason: string, cause: unknown, timedOut = false) {
    super(`Gorgias ${method} ${path.split('?')[0]} failed: ${reason}`, { cause });
    this.method = method;
    this.path = path;
    this.timedOut = timedOut;
  }
}

/** A 2xx response whose body is not valid JSON or does not match the expected schema. */
export class GorgiasResponseError extends Error {
  override readonly name = 'GorgiasResponseError';
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  readonly status: number;

  constructor(method: string, path: string, status: number, problem: string) {
    super(`Gorgias ${method} ${path.split('?')[0]} returned ${status} with an unexpected body: ${problem}`);
    this.method = method;
    this.path = path;
    this.status = status;
  }
}

/**
 * Returns whether repeating the request may succeed. That is true for network errors (timeouts included), 408,
 * 429 and 5xx, and false for every other error, including 409 and the 301 of a merged customer.
 */
export function isRetryableGorgiasError(err: unknown): boolean {
  if (err instanceof GorgiasNetworkError) {
    return true;
  }
  if (err instanceof GorgiasApiError) {
    return err.status === 408 || err.status === 429 || err.status >= 500;
  }
  return false;
}

/**
 * Extracts the Gorgias error message from a response body. Gorgias uses three shapes:
 * `{"error": {"msg": "…", "data": {…}}}`, `{"error": "…"}` and `{"message": "…"}`.
 */
export function parseGorgiasMessage(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) {
    return null;
  }

  const { error, message } = parsed;
  if (isRecord(error) && typeof error.msg === 'string') {
    return error.msg;
  }
  if (typeof error === 'string') {
    return error;
  }
  if (typeof message === 'string') {
    return message;
  }
  return null;
}

/**
 * Converts a `Retry-After` value to ms. HTTP allows delay seconds or an HTTP date, and decimal seconds are accepted
 * too. A date in the past gives 0. Returns null for a missing or invalid value.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }

  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.ceil(Number(trimmed) * 1000);
  }

  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) {
    return null;
  }
  return Math.max(0, dateMs - nowMs);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
