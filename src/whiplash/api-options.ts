import { logger as serviceLogger, type Logger } from '../logger';

/**
 * OAuth2 tokens of one Whiplash account. The client refreshes the access token only when `refreshToken`,
 * `clientId` and `clientSecret` are all set.
 */
export interface WhiplashAuth {
  /** Bearer token. It may be empty when a refresh token is set: the client then refreshes before the first call. */
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Settings of {@link createWhiplashClient}. */
export interface WhiplashClientOptions {
  /**
   * Whiplash URL without `/api/v2`, e.g. `https://www.getwhiplash.com` or an emulator at `http://127.0.0.1:8091`.
   * It must not contain credentials, a query string or a fragment.
   */
  baseUrl: string;
  auth: WhiplashAuth;
  /**
   * Maximum number of requests the client starts in any one-second window, shared by all calls of the client.
   * Whiplash allows 10 requests per second per customer account.
   * @default 8
   */
  requestsPerSecond?: number;
  /**
   * Maximum time in ms for one request, response body included.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Retries after a 429, a 5xx or a network error, per request.
   * @default 5
   */
  maxRetries?: number;
  /**
   * First delay in ms between retries when the response has no `Retry-After`. Each further retry doubles it.
   * @default 1000
   */
  retryBaseDelayMs?: number;
  /**
   * Called with the new tokens after each refresh, so that the caller can persist them. An exception it throws
   * is logged and does not fail the request.
   */
  onTokenRefreshed?: (auth: WhiplashAuth) => void;
  /** Receives a warning for each retry and an info line for each token refresh. @default the service logger */
  logger?: Logger;
}

/** Options after validation, with defaults applied. */
export interface ResolvedWhiplashClientOptions {
  /** Origin plus optional path prefix, without a trailing slash. */
  baseUrl: string;
  auth: WhiplashAuth;
  /** True when the refresh token and both client credentials are set. */
  canRefresh: boolean;
  requestsPerSecond: number;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  onTokenRefreshed?: (auth: WhiplashAuth) => void;
  logger: Logger;
}

const DEFAULT_REQUESTS_PER_SECOND = 8;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_RETRY_BASE_DELAY_MS = 1_000;

/** Validates client options and applies defaults. Throws a TypeError naming the invalid option. */
export function resolveWhiplashClientOptions(options: WhiplashClientOptions): ResolvedWhiplashClientOptions {
  const requestsPerSecond = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    throw new TypeError(
      `Whiplash client option requestsPerSecond must be a positive number, got ${String(requestsPerSecond)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`Whiplash client option timeoutMs must be a positive number of ms, got ${String(timeoutMs)}`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new TypeError(`Whiplash client option maxRetries must be an integer of 0 or more, got ${String(maxRetries)}`);
  }
  const retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  if (!Number.isFinite(retryBaseDelayMs) || retryBaseDelayMs < 0) {
    throw new TypeError(
      `Whiplash client option retryBaseDelayMs must be a number of ms of 0 or more, got ${String(retryBaseDelayMs)}`,
    );
  }

  const auth = validateAuth(options.auth);
  return {
    baseUrl: resolveBaseUrl(options.baseUrl),
    auth,
    canRefresh: auth.refreshToken !== undefined,
    requestsPerSecond,
    timeoutMs,
    maxRetries,
    retryBaseDelayMs,
    onTokenRefreshed: options.onTokenRefreshed,
    logger: options.logger ?? serviceLogger,
  };
}

function resolveBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Whiplash client option baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Whiplash client option baseUrl must use http or https, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('Whiplash client option baseUrl must not contain credentials. Pass them in auth instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('Whiplash client option baseUrl must not contain a query string or a fragment');
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api(\/v2[^/]*)?$/.test(path)) {
    throw new TypeError(
      `Whiplash client option baseUrl must not end in ${path.slice(path.lastIndexOf('/api'))}, because the client ` +
        `adds /api/v2 itself. Use ${url.origin}${path.slice(0, path.lastIndexOf('/api'))}`,
    );
  }
  return `${url.origin}${path}`;
}

/**
 * Checks that the tokens allow a first request: an access token, or a refresh token to get one. A refresh token
 * needs the OAuth client id and secret, because Whiplash authenticates the client when it issues a token.
 */
function validateAuth(auth: WhiplashAuth): WhiplashAuth {
  if (typeof auth !== 'object' || auth === null) {
    throw new TypeError('Whiplash client option auth is missing: pass { accessToken } or a refresh token');
  }
  const refreshToken = nonEmpty(auth.refreshToken);
  const clientId = nonEmpty(auth.clientId);
  const clientSecret = nonEmpty(auth.clientSecret);
  const accessToken = typeof auth.accessToken === 'string' ? auth.accessToken.trim() : '';

  if (accessToken === '' && refreshToken === undefined) {
    throw new TypeError(
      'Whiplash client option auth.accessToken is missing or empty. Set WHIPLASH_ACCESS_TOKEN, or set ' +
        'WHIPLASH_REFRESH_TOKEN with WHIPLASH_CLIENT_ID and WHIPLASH_CLIENT_SECRET',
    );
  }
  if (refreshToken !== undefined && (clientId === undefined || clientSecret === undefined)) {
    const missing: string[] = [];
    if (clientId === undefined) missing.push('auth.clientId');
    if (clientSecret === undefined) missing.push('auth.clientSecret');
    const verb = missing.length > 1 ? 'are' : 'is';
    throw new TypeError(
      `Whiplash client option auth.refreshToken is set but ${missing.join(' and ')} ${verb} missing. Whiplash ` +
        'needs the OAuth client id and secret (WHIPLASH_CLIENT_ID, WHIPLASH_CLIENT_SECRET) to refresh a token',
    );
  }
  return { accessToken, refreshToken, clientId, clientSecret };
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
