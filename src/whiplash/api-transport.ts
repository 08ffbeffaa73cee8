import { RequestPacer } from '../http/request-pacer';
import { buildApiError, parseJsonBody, sendWithRetries, type HttpExchange, type TransportContext } from './api-http';
import type { ResolvedWhiplashClientOptions } from './api-options';
import { TokenKeeper } from './api-tokens';

/** One GET request to the Whiplash API. */
export interface ApiRequest {
  /** Path and query string, starting with `/api/v2/`. */
  path: string;
  /** Path template such as `/api/v2/orders/:id`, for logs. */
  route: string;
  signal?: AbortSignal;
}

/** A 2xx response with its parsed JSON body, which is null when the body is empty. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Sends one API request, with pacing, retries and token refresh, and returns its 2xx response. */
export type WhiplashTransport = (request: ApiRequest) => Promise<ApiResponse>;

// NOTE: Whiplash does not document how it measures a second. The client's window is 50 ms longer than a second,
// so that requests which reach Whiplash up to 50 ms more or less late than each other still arrive at most N
// per second.
const WINDOW_MARGIN_MS = 50;

/**
 * Creates the pacer that allows `requestsPerSecond` requests per second. The rate may be fractional: 0.5 allows
 * one request in any two seconds.
 */
export function createWhiplashPacer(requestsPerSecond: number): RequestPacer {
  const limit = Math.max(1, Math.floor(requestsPerSecond));
  return new RequestPacer(limit, (1000 * limit) / requestsPerSecond + WINDOW_MARGIN_MS);
}

const NO_REFRESH_HINT =
  'The access token is invalid or expired, and no refresh token is configured. Set a fresh access token in ' +
  'WHIPLASH_ACCESS_TOKEN, or set WHIPLASH_REFRESH_TOKEN with WHIPLASH_CLIENT_ID and WHIPLASH_CLIENT_SECRET so ' +
  'that the client can refresh it';
const REJECTED_AFTER_REFRESH_HINT =
  'Whiplash rejected the freshly issued access token too. Check that the OAuth client has access to the API, ' +
  'or set new tokens in WHIPLASH_ACCESS_TOKEN and WHIPLASH_REFRESH_TOKEN';

/**
 * Creates the fetch wrapper behind the client. Every request waits for the shared pacer, has a timeout of
 * `timeoutMs` (body included) and is retried after a 429, a 5xx or a network error. A 401 triggers one token
 * refresh, when a refresh token is configured, and one more attempt.
 */
export function createWhiplashTransport(options: ResolvedWhiplashClientOptions): WhiplashTransport {
  const context: TransportContext = { options, pacer: createWhiplashPacer(options.requestsPerSecond) };
  const tokens = new TokenKeeper(context);

  return async (request) => {
    const token = await tokens.currentAccessToken(request.signal);
    let exchange = apiExchange(request, token);
    let response = await sendWithRetries(context, exchange);

    if (response.status === 401 && tokens.canRefresh) {
      await tokens.refreshAfterRejection(token, request.signal);
      exchange = apiExchange(request, await tokens.currentAccessToken(request.signal));
      response = await sendWithRetries(context, exchange);
      if (response.status === 401) {
        throw buildApiError(context, exchange, response, REJECTED_AFTER_REFRESH_HINT);
      }
    }
    if (response.status === 401) {
      throw buildApiError(context, exchange, response, NO_REFRESH_HINT);
    }
    if (response.status < 200 || response.status > 299) {
      throw buildApiError(context, exchange, response);
    }
    return { status: response.status, body: parseJsonBody(response.text, 'GET', request.path, response.status) };
  };
}

function apiExchange(request: ApiRequest, accessToken: string): HttpExchange {
  return {
    method: 'GET',
    path: request.path,
    route: request.route,
    // Accept-Version repeats the API version that the path selects.
    headers: { accept: 'application/json', 'accept-version': 'v2', authorization: `Bearer ${accessToken}` },
    signal: request.signal,
  };
}
