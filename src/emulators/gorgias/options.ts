import { z } from 'zod';

/** Credentials the emulator accepts: HTTP Basic with `username:apiKey`, or `Bearer accessToken`. */
export interface GorgiasEmulatorCredentials {
  username: string;
  apiKey: string;
  accessToken: string;
}

/** Injected failures, applied to `/api` requests only. */
export interface GorgiasEmulatorFaults {
  /** Share of requests, from 0 to 1, that fail with 500, 502 or 503 before any change is made. */
  serverErrorRate: number;
  /** Delay in ms added before each request is handled. */
  latencyMs: number;
  /** Maximum random delay in ms added to `latencyMs`. */
  latencyJitterMs?: number;
  /**
   * A 4xx status every request gets while set, e.g. 403 as when the API key's user loses a permission.
   * Null turns the rejection off.
   */
  rejectWithStatus?: number | null;
}

/** Leaky-bucket budget: at most `limit` requests in the bucket, which drains `limit / windowSeconds` per second. */
export interface GorgiasEmulatorRateLimit {
  limit: number;
  windowSeconds: number;
}

/** Settings that can change while the emulator runs. */
export interface GorgiasEmulatorConfig {
  faults: GorgiasEmulatorFaults;
  /** Null turns the rate limit off. */
  rateLimit: GorgiasEmulatorRateLimit | null;
  /** Delay in ms before a `/data` write becomes visible. With 0 the write is applied before the 202 is sent. */
  dataApplyDelayMs: number;
}

/** A partial change to {@link GorgiasEmulatorConfig}. Fields left out keep their current value. */
export interface GorgiasEmulatorConfigUpdate {
  faults?: Partial<GorgiasEmulatorFaults>;
  rateLimit?: GorgiasEmulatorRateLimit | null;
  dataApplyDelayMs?: number;
}

/** Settings of the emulator. Every field is optional. */
export interface GorgiasEmulatorOptions extends GorgiasEmulatorConfigUpdate {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default {@link DEFAULT_CREDENTIALS} */
  credentials?: Partial<GorgiasEmulatorCredentials>;
  /** Random source in [0, 1) for fault injection and latency jitter. @default Math.random */
  random?: () => number;
  /** Clock in epoch ms for the rate limit, timestamps and the request log. @default Date.now */
  now?: () => number;
}

/** Budget of a private app using an API key (Gorgias API docs, Limitations page). */
export const API_KEY_RATE_LIMIT: GorgiasEmulatorRateLimit = { limit: 40, windowSeconds: 20 };

/** Budget of a public OAuth2 app (Gorgias API docs, Limitations page). */
export const OAUTH_RATE_LIMIT: GorgiasEmulatorRateLimit = { limit: 80, windowSeconds: 20 };

/** Development credentials, accepted unless others are configured. */
export const DEFAULT_CREDENTIALS: GorgiasEmulatorCredentials = {
  username: 'dev@example.com',
  apiKey: 'dev-api-key',
  accessToken: 'dev-access-token',
};

/** Loopback only, so the emulator is not reachable from other machines by default. */
export const DEFAULT_HOST = '127.0.0.1';

/** Defaults for development: no rate limit, no faults, data writes visible at once. */
export const DEFAULT_CONFIG: GorgiasEmulatorConfig = {
  faults: { serverErrorRate: 0, latencyMs: 0, latencyJitterMs: 0, rejectWithStatus: null },
  rateLimit: null,
  dataApplyDelayMs: 0,
};

const configUpdateSchema = z.strictObject({
  faults: z
    .strictObject({
      serverErrorRate: z.number().min(0).max(1),
      latencyMs: z.number().min(0),
      latencyJitterMs: z.number().min(0),
      rejectWithStatus: z.number().int().min(400).max(499).nullable(),
    })
    .partial()
    .optional(),
  rateLimit: z
    .strictObject({ limit: z.number().int().positive(), windowSeconds: z.number().positive() })
    .nullable()
    .optional(),
  dataApplyDelayMs: z.number().min(0).optional(),
});

/** Validates `update` and returns `current` with it applied. Throws a TypeError naming the invalid field. */
export function applyConfigUpdate(current: GorgiasEmulatorConfig, update: unknown): GorgiasEmulatorConfig {
  const result = configUpdateSchema.safeParse(update);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'config';
    throw new TypeError(`Invalid Gorgias emulator config: ${field}: ${issue?.message ?? 'invalid value'}`);
  }

  const parsed = result.data;
  return {
    faults: { ...current.faults, ...parsed.faults },
    rateLimit: parsed.rateLimit === undefined ? current.rateLimit : parsed.rateLimit,
    dataApplyDelayMs: parsed.dataApplyDelayMs ?? current.dataApplyDelayMs,
  };
}
