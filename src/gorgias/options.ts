import type { GorgiasResponseInfo } from './http';

/** Credentials for one Gorgias account. */
export type GorgiasAuth =
  /** Private app: HTTP Basic with the Gorgias user's email as username and an API key as password. */
  | { type: 'api-key'; username: string; apiKey: string }
  /** Public app: an OAuth2 access token sent as a Bearer token. */
  | { type: 'oauth'; accessToken: string };

/** A cap of `requests` request starts in any `windowMs`. */
export interface GorgiasRequestBudget {
  /** Maximum request starts in one window, a positive integer. */
  requests: number;
  /** Window length in ms. */
  windowMs: number;
}

/** Settings of {@link createGorgiasClient}. */
export interface GorgiasClientOptions {
  /**
   * Account URL without `/api`, e.g. `https://acme.gorgias.com` or an emulator at `http://127.0.0.1:8090`.
   * It must not contain credentials, a query string or a fragment.
   */
  baseUrl: string;
  auth: GorgiasAuth;
  /**
   * Maximum time in ms for one request, response body included.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Paces this client's requests to at most `requests` starts in any `windowMs` plus a 250 ms margin for network
   * jitter. Requests wait in FIFO order. The wait does not count toward `timeoutMs`, and aborting the call's signal
   * ends it. Each client object has its own budget, so two clients or processes may each spend all of it. Unset,
   * requests start at once.
   */
  requestBudget?: GorgiasRequestBudget;
  /** Called once for each HTTP response, error statuses included, for example to record latency. It must not throw. */
  onResponse?: (info: GorgiasResponseInfo) => void;
}

/** Options after validation, with defaults applied. */
export interface ResolvedClientOptions {
  baseUrl: string;
  authorization: string;
  timeoutMs: number;
  requestBudget?: GorgiasRequestBudget;
  onResponse?: (info: GorgiasResponseInfo) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Validates client options and resolves the base URL and the `Authorization` header. Throws a TypeError. */
export function resolveClientOptions(options: GorgiasClientOptions): ResolvedClientOptions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`Gorgias client option timeoutMs must be a positive number of ms, got ${timeoutMs}`);
  }

  return {
    baseUrl: resolveBaseUrl(options.baseUrl),
    authorization: buildAuthorization(options.auth),
    timeoutMs,
    requestBudget: resolveRequestBudget(options.requestBudget),
    onResponse: options.onResponse,
  };
}

function resolveRequestBudget(budget: GorgiasRequestBudget | undefined): GorgiasRequestBudget | undefined {
  if (budget === undefined) {
    return undefined;
  }
  if (typeof budget !== 'object' || budget === null) {
    throw new TypeError(
      `Gorgias client option requestBudget must be an object { requests, windowMs }, got ${String(budget)}`,
    );
  }

  const { requests, windowMs } = budget;
  if (!Number.isInteger(requests) || requests <= 0) {
    throw new TypeError(`Gorgias client option requestBudget.requests must be a positive integer, got ${requests}`);
  }
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new TypeError(
      `Gorgias client option requestBudget.windowMs must be a positive number of ms, got ${windowMs}`,
    );
  }
  return { requests, windowMs };
}

function resolveBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Gorgias client option baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Gorgias client option baseUrl must use http or https, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('Gorgias client option baseUrl must not contain credentials. Pass them in auth instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('Gorgias client option baseUrl must not contain a query string or a fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function buildAuthorization(auth: GorgiasAuth): string {
  if (auth.type === 'api-key') {
    requireCredential('auth.username', auth.username);
    requireCredential('auth.apiKey', auth.apiKey);
    return `Basic ${Buffer.from(`${auth.username}:${auth.apiKey}`).toString('base64')}`;
  }
  if (auth.type === 'oauth') {
    requireCredential('auth.accessToken', auth.accessToken);
    return `Bearer ${auth.accessToken}`;
  }
  const unknownType: unknown = (auth as { type?: unknown }).type;
  throw new TypeError(`Gorgias client option auth.type must be 'api-key' or 'oauth', got ${String(unknownType)}`);
}

function requireCredential(option: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Gorgias client option ${option} is missing or empty`);
  }
}
