import { z } from 'zod';

/** OAuth2 credentials the emulator accepts. Field names match the client's `WhiplashAuth`. */
export interface WhiplashEmulatorCredentials {
  /** Access token valid from the emulator's start for `tokenTtlSeconds`. */
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

/** Injected failures, applied to `/api` requests only. */
export interface WhiplashEmulatorFaults {
  /** Share of requests, from 0 to 1, that fail with 500, 502 or 503 before they reach a route. */
  serverErrorRate: number;
}

/** Settings that can change while the emulator runs. */
export interface WhiplashEmulatorConfig {
  faults: WhiplashEmulatorFaults;
  /** Maximum `/api` requests accepted in any rolling second. Null turns the rate limit off. */
  rateLimitPerSecond: number | null;
  /** Lifetime of each access token issued from now on, in seconds. */
  tokenTtlSeconds: number;
  /** When true, each refresh issues a new refresh token and invalidates the one it used. */
  rotateRefreshTokens: boolean;
}

/** A partial change to {@link WhiplashEmulatorConfig}. Fields left out keep their current value. */
export interface WhiplashEmulatorConfigUpdate {
  faults?: Partial<WhiplashEmulatorFaults>;
  rateLimitPerSecond?: number | null;
  tokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
}

/** Settings of the emulator. Every field is optional. */
export interface WhiplashEmulatorOptions extends WhiplashEmulatorConfigUpdate {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Raw orders loaded at start and restored on reset. */
  orders?: readonly unknown[];
  /** @default {@link DEFAULT_WHIPLASH_CREDENTIALS} */
  credentials?: Partial<WhiplashEmulatorCredentials>;
  /** Random source in [0, 1) for fault injection. @default Math.random */
  random?: () => number;
  /**
   * Clock in epoch ms for token expiry, the rate limit, edits and the request log. `POST /_emulator/clock` moves
   * the emulator's time ahead of it. @default Date.now
   */
  now?: () => number;
}

/** Development credentials, accepted unless others are configured. */
export const DEFAULT_WHIPLASH_CREDENTIALS: WhiplashEmulatorCredentials = {
  accessToken: 'dev-whiplash-token',
  refreshToken: 'dev-whiplash-refresh',
  clientId: 'dev-client',
  clientSecret: 'dev-secret',
};

/** Whiplash's documented limit: 10 requests per second per customer account. */
export const WHIPLASH_RATE_LIMIT_PER_SECOND = 10;

/** Whiplash's documented access token lifetime: 2 hours. */
export const WHIPLASH_TOKEN_TTL_SECONDS = 7200;

/** Loopback only, so the emulator is not reachable from other machines by default. */
export const DEFAULT_HOST = '127.0.0.1';

/** Defaults: Whiplash's rate limit and token lifetime, no faults, refresh tokens kept on refresh. */
export const DEFAULT_CONFIG: WhiplashEmulatorConfig = {
  faults: { serverErrorRate: 0 },
  rateLimitPerSecond: WHIPLASH_RATE_LIMIT_PER_SECOND,
  tokenTtlSeconds: WHIPLASH_TOKEN_TTL_SECONDS,
  rotateRefreshTokens: false,
};

const configUpdateSchema = z.strictObject({
  faults: z
    .strictObject({ serverErrorRate: z.number().min(0).max(1) })
    .partial()
    .optional(),
  rateLimitPerSecond: z.number().int().positive().nullable().optional(),
  tokenTtlSeconds: z.number().positive().optional(),
  rotateRefreshTokens: z.boolean().optional(),
});

/** Validates `update` and returns `current` with it applied. Throws a TypeError naming the invalid field. */
export function applyConfigUpdate(current: WhiplashEmulatorConfig, update: unknown): WhiplashEmulatorConfig {
  const result = configUpdateSchema.safeParse(update);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'config';
    throw new TypeError(`Invalid Whiplash emulator config: ${field}: ${issue?.message ?? 'invalid value'}`);
  }

  const parsed = result.data;
  return {
    faults: { ...current.faults, ...parsed.faults },
    rateLimitPerSecond:
      parsed.rateLimitPerSecond === undefined ? current.rateLimitPerSecond : parsed.rateLimitPerSecond,
    tokenTtlSeconds: parsed.tokenTtlSeconds ?? current.tokenTtlSeconds,
    rotateRefreshTokens: parsed.rotateRefreshTokens ?? current.rotateRefreshTokens,
  };
}
