import { setTimeout as delay } from 'node:timers/promises';

import type { RequestPacer } from '../http/request-pacer';
import {
  isRetryableStatus,
  parseRetryAfter,
  WhiplashApiError,
  WhiplashNetworkError,
  WhiplashResponseError,
  type RedactedRequest,
} from './api-errors';
import type { ResolvedWhiplashClientOptions } from './api-options';

/** One HTTP exchange as the retry loop sends it, to the API or to the token endpoint. */
export interface HttpExchange {
  method: 'GET' | 'POST';
  path: string;
  route: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A response of any status, with its body as text. */
export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  /** Retries the exchange took before this response, from 0 to `maxRetries`. */
  retries: number;
}

/** Shared state of one client's requests: the resolved options and the pacer that every call waits for. */
export interface TransportContext {
  options: ResolvedWhiplashClientOptions;
  pacer: RequestPacer;
}

// Cap of one backoff delay. With the default 1 s base delay, only a sixth retry would reach it.
const MAX_BACKOFF_MS = 30_000;
// Up to a quarter more, at random, so that clients that failed together do not retry together.
const BACKOFF_JITTER = 0.25;
// A longer Retry-After is not waited for inside one call: the error goes to the caller's own retry policy.
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Sends an exchange and repeats it after a 429, a 5xx or a network error, up to `maxRetries` times. Returns the
 * last response whatever its status, and throws the last network error when no response came.
 */
export async function sendWithRetries(context: TransportContext, exchange: HttpExchange): Promise<RawResponse> {
  const { maxRetries } = context.options;
  for (let attempt = 0; ; attempt += 1) {
    await context.pacer.acquire(exchange.signal);

    let response: Omit<RawResponse, 'retries'>;
    try {
      response = await exchangeOnce(context, exchange);
    } catch (err) {
      if (!(err instanceof WhiplashNetworkError) || attempt >= maxRetries) {
        throw err;
      }
      await waitBeforeRetry(context, exchange, attempt, null, err.message);
      continue;
    }

    if (!isRetryableStatus(response.status) || attempt >= maxRetries) {
      return { ...response, retries: attempt };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    if (retryAfterMs !== null && retryAfterMs > MAX_RETRY_AFTER_MS) {
      return { ...response, retries: attempt };
    }
    await waitBeforeRetry(context, exchange, attempt, retryAfterMs, response.status);
  }
}

/**
 * Builds the error for a final non-2xx response. The request attached to it has its token redacted. Without a
 * `hint`, a retryable status gets one with the number of retries made, or the reason none was made.
 */
export function buildApiError(
  context: TransportContext,
  exchange: HttpExchange,
  response: RawResponse,
  hint = describeRetries(response),
): WhiplashApiError {
  return new WhiplashApiError({
    method: exchange.method,
    path: exchange.path,
    status: response.status,
    statusText: response.statusText,
    responseHeaders: response.headers,
    responseBody: response.text,
    request: redactRequest(exchange, context.options.baseUrl),
    hint,
  });
}

function describeRetries(response: RawResponse): string | undefined {
  if (!isRetryableStatus(response.status)) {
    return undefined;
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  if (retryAfterMs !== null && retryAfterMs > MAX_RETRY_AFTER_MS) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    return (
      `Whiplash asked to wait ${seconds} s (Retry-After), longer than the client waits within one call. ` +
      'Retry later'
    );
  }
  return response.retries > 0 ? `Gave up after ${response.retries} retries` : undefined;
}

/** Parses a 2xx body as JSON. An empty body gives null. */
export function parseJsonBody(text: string, method: string, path: string, status: number): unknown {
  if (text.trim() === '') {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WhiplashResponseError(method, path, status, 'the body is not valid JSON');
  }
}

async function exchangeOnce(context: TransportContext, exchange: HttpExchange): Promise<Omit<RawResponse, 'retries'>> {
  const { baseUrl, timeoutMs } = context.options;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (exchange.signal) {
    signals.push(exchange.signal);
  }

  try {
    const response = await fetch(`${baseUrl}${exchange.path}`, {
      method: exchange.method,
      headers: exchange.headers,
      body: exchange.body,
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  } catch (err) {
    throw toNetworkError(err, exchange, timeoutMs);
  }
}

async function waitBeforeRetry(
  context: TransportContext,
  exchange: HttpExchange,
  attempt: number,
  retryAfterMs: number | null,
  failure: number | string,
): Promise<void> {
  const { maxRetries, retryBaseDelayMs, logger } = context.options;
  const exponentialMs = Math.min(MAX_BACKOFF_MS, retryBaseDelayMs * 2 ** attempt);
  const delayMs = retryAfterMs ?? Math.round(exponentialMs * (1 + Math.random() * BACKOFF_JITTER));
  logger.warn(
    {
      method: exchange.method,
      route: exchange.route,
      ...(typeof failure === 'number' ? { status: failure } : { reason: failure }),
      retry: attempt + 1,
      maxRetries,
      delayMs,
    },
    'Whiplash request failed; retrying',
  );
  await sleep(delayMs, exchange.signal);
}

/** Waits `ms`, or rejects with the signal's own reason when it aborts first. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    throw signal?.aborted ? signal.reason : err;
  }
}

/**
 * Wraps a fetch failure in a WhiplashNetworkError. An abort through the caller's own signal is re-thrown as is,
 * because a cancelled call is not a Whiplash failure and must not be retried.
 */
function toNetworkError(err: unknown, exchange: HttpExchange, timeoutMs: number): unknown {
  if (exchange.signal?.aborted) {
    return exchange.signal.reason;
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new WhiplashNetworkError(exchange.method, exchange.path, `timed out after ${timeoutMs} ms`, err, true);
  }

  // undici rejects with TypeError('fetch failed') and puts the system error (ECONNREFUSED, ENOTFOUND) in `cause`.
  let reason = String(err);
  if (err instanceof Error) {
    reason = err.cause instanceof Error ? err.cause.message : err.message;
  }
  return new WhiplashNetworkError(exchange.method, exchange.path, reason, err);
}

function redactRequest(exchange: HttpExchange, baseUrl: string): RedactedRequest {
  const headers = { ...exchange.headers };
  if (headers.authorization !== undefined) {
    headers.authorization = '[redacted]';
  }
  return { method: exchange.method, url: `${baseUrl}${exchange.path.split('?')[0] ?? ''}`, headers };
}
