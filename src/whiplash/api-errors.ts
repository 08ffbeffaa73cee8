/** A request as attached to an error, with the `authorization` header value replaced by `[redacted]`. */
export interface RedactedRequest {
  method: string;
  /** URL without the query string, which can contain search values. */
  url: string;
  headers: Record<string, string>;
}

/** Everything {@link WhiplashApiError} is built from: one non-2xx response to one request. */
export interface WhiplashApiErrorOptions {
  method: string;
  /** Path and query string, without scheme and host. */
  path: string;
  status: number;
  statusText: string;
  responseHeaders: Headers;
  /** Raw response body. The error keeps only the Whiplash message from it. */
  responseBody: string;
  request: RedactedRequest;
  /** Advice for the caller, appended to the message. */
  hint?: string;
  /** Current time in epoch ms, used to turn an HTTP-date `Retry-After` into a delay. */
  nowMs?: number;
}

/**
 * A response from Whiplash with a status outside 2xx, after any retries.
 *
 * The message names the method and the path without its query string, because a search can contain customer
 * data and messages end up in logs and workflow histories. It never contains a token.
 */
export class WhiplashApiError extends Error {
  override readonly name = 'WhiplashApiError';
  readonly status: number;
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  /** The message Whiplash put in the body (`message`, `error_description` or `error`), or null when there is none. */
  readonly whiplashMessage: string | null;
  /** Delay requested by the `Retry-After` header in ms, or null when the header is missing or invalid. */
  readonly retryAfterMs: number | null;
  readonly request: RedactedRequest;

  constructor(options: WhiplashApiErrorOptions) {
    const whiplashMessage = parseWhiplashMessage(options.responseBody);
    const reason = whiplashMessage ?? options.statusText;
    const pathname = options.path.split('?')[0];
    const hint = options.hint ? `. ${options.hint}` : '';
    super(`Whiplash ${options.method} ${pathname} failed with ${options.status}${reason ? `: ${reason}` : ''}${hint}`);

    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
    this.whiplashMessage = whiplashMessage;
    this.retryAfterMs = parseRetryAfter(options.responseHeaders.get('retry-after'), options.nowMs ?? Date.now());
    this.request = options.request;
  }
}

/** A request to Whiplash that got no response: timeout, DNS failure, refused or reset connection. */
export class WhiplashNetworkError extends Error {
  override readonly name = 'WhiplashNetworkError';
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  /** True when no response arrived within the client's timeout. */
  readonly timedOut: boolean;

  constructor(method: string, path: string, reason: string, cause: unknown, timedOut = false) {
    super(`Whiplash ${method} ${path.split('?')[0]} failed: ${reason}`, { cause });
    this.method = method;
    this.path = path;
    this.timedOut = timedOut;
  }
}

/** A 2xx response whose body is not valid JSON or does not have the documented shape. */
export class WhiplashResponseError extends Error {
  override readonly name = 'WhiplashResponseError';
  readonly method: string;
  /** Path and query string of the request, without scheme and host. */
  readonly path: string;
  readonly status: number;

  constructor(method: string, path: string, status: number, problem: string) {
    super(`Whiplash ${method} ${path.split('?')[0]} returned ${status} with an unexpected body: ${problem}`);
    this.method = method;
    this.path = path;
    this.status = status;
  }
}

/**
 * Returns whether repeating the request later may succeed: true for network errors (timeouts included), 408, 429
 * and 5xx. The client has already retried these up to `maxRetries` times before it throws them.
 */
export function isRetryableWhiplashError(err: unknown): boolean {
  if (err instanceof WhiplashNetworkError) {
    return true;
  }
  if (err instanceof WhiplashApiError) {
    return isRetryableStatus(err.status);
  }
  return false;
}

/** Returns whether a response status is worth retrying: 408, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Extracts the error message from a Whiplash response body. The API documents `{"message": "…"}`. A bare
 * `{"error": "…"}` is read too, and OAuth token errors are `{"error": "…", "error_description": "…"}` (RFC 6749).
 */
export function parseWhiplashMessage(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return null;
  }

  const { message, error, error_description: description } = parsed as Record<string, unknown>;
  for (const candidate of [message, description, error]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') {
      return candidate;
    }
  }
  return null;
}

/**
 * Converts a `Retry-After` value to ms. HTTP allows delay seconds or an HTTP date, and decimal seconds are accepted
 * too. A date in the past gives 0. Returns null for a missing or invalid value.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    return null;
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.ceil(Number(trimmed) * 1000);
  }

  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}
