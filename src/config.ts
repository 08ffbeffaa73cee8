import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseCodecKeys } from './codec/codec-keys';
import { DEFAULT_CREDENTIALS } from './emulators/gorgias/options';
import { DEFAULT_WHIPLASH_CREDENTIALS } from './emulators/whiplash/options';
import type { GorgiasAuth } from './gorgias';
import type { WhiplashAuth } from './whiplash/api-client';

/**
 * The service's configuration, parsed once from the environment. Nothing else reads `process.env`.
 * `.env.example` documents every variable.
 */
export type Config = ReturnType<typeof parseConfig>;

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; use e.g. 500ms, 30s, 5m, 2h or 14d` });
        return z.NEVER;
      }
      return ms;
    });

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/**
 * An integer from `min` to `max`, or undefined when empty. An invalid value gets a message that names it, states
 * the range and ends with `hint`, which names what to set.
 */
const integer = (min: number, max: number, hint: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const trimmed = value?.trim() ?? '';
      if (trimmed === '') return undefined;
      const number = Number(trimmed);
      if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(number) || number < min || number > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from ${min} to ${max}`;
        ctx.addIssue({ code: 'custom', message: `"${value}" is not ${range}. ${hint}` });
        return z.NEVER;
      }
      return number;
    });

/** A whole number above zero, or undefined when empty. */
const optionalPositiveInteger = (hint: string) => integer(1, Number.MAX_SAFE_INTEGER, hint);

const positiveInteger = (fallback: number, hint: string) =>
  optionalPositiveInteger(hint).transform((value) => value ?? fallback);

const port = (fallback: number) =>
  integer(0, 65535, `Set a TCP port such as ${fallback}, or 0 for any free port.`).transform(
    (value) => value ?? fallback,
  );

const codecKeys = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const { keys, errors } = parseCodecKeys(value);
    for (const message of errors) ctx.addIssue({ code: 'custom', message });
    return errors.length > 0 ? z.NEVER : keys;
  });

const schema = z.object({
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  DATA_DIR: z.string().default('data'),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('whiplash-gorgias-sync'),
  TEMPORAL_GORGIAS_TASK_QUEUE: z.string().default('gorgias-api'),
  TEMPORAL_UI_PORT: port(8233),

  API_HOST: z.string().default('127.0.0.1'),
  TEMPORAL_CLI_PATH: optionalText,
  // Connection security, under the names of Temporal's client environment configuration.
  TEMPORAL_API_KEY: optionalText,
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: optionalText,
  TEMPORAL_TLS_CLIENT_KEY_PATH: optionalText,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  // Payload encryption: the first key encrypts and every key decrypts.
  PAYLOAD_CODEC_KEYS: codecKeys,

  API_PORT: port(3000),
  WEBHOOK_MAX_BODY_BYTES: positiveInteger(10_000_000, 'Set the largest webhook body in bytes, such as 10000000.'),
  WHIPLASH_WEBHOOK_SECRETS: list,
  WEBHOOK_TEMPORAL_TIMEOUT: duration('5s'),
  CODEC_SERVER_TOKEN: optionalText,
  CODEC_CORS_ORIGINS: list.default(['http://127.0.0.1:8233', 'http://localhost:8233']),

  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  WORKER_HTTP_PORT: port(3001),
  WORKER_SDK_METRICS_PORT: port(0),
  WORKER_MAX_CACHED_WORKFLOWS: optionalPositiveInteger(
    'Set a number of workflows such as 1000, or leave it empty for the Temporal SDK default.',
  ),
  SHUTDOWN_GRACE_TIME: duration('30s'),

  GORGIAS_BASE_URL: optionalText,
  GORGIAS_ACCOUNT: optionalText,
  GORGIAS_AUTH: z.enum(['api-key', 'oauth']).default('api-key'),
  GORGIAS_USERNAME: optionalText,
  GORGIAS_API_KEY: optionalText,
  GORGIAS_ACCESS_TOKEN: optionalText,
  GORGIAS_REQUESTS_PER_20S: optionalPositiveInteger(
    'Set the requests per 20 s this service may spend, such as 40, or leave it empty to follow GORGIAS_AUTH.',
  ),
  GORGIAS_EMULATOR_PORT: port(8090),

  WHIPLASH_BASE_URL: optionalText,
  WHIPLASH_ACCESS_TOKEN: optionalText,
  WHIPLASH_REFRESH_TOKEN: optionalText,
  WHIPLASH_CLIENT_ID: optionalText,
  WHIPLASH_CLIENT_SECRET: optionalText,
  WHIPLASH_REQUESTS_PER_SECOND: z
    .string()
    .default('8')
    .transform((value, ctx) => {
      const number = Number(value.trim());
      if (value.trim() === '' || !Number.isFinite(number) || number <= 0 || number > 10) {
        const message = `"${value}" is not a number above 0 and at most 10 (Whiplash allows 10 requests per second). Set e.g. 8.`;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return number;
    }),
  WHIPLASH_EMULATOR_PORT: port(8091),

  RECONCILE_INTERVAL: duration('15m'),
  RECONCILE_OVERLAP: duration('5m'),

  ORDER_SETTLE_PERIOD: duration('14d'),
  CUSTOMER_DEBOUNCE_WINDOW: duration('2s'),
  CUSTOMER_IDLE_TIMEOUT: duration('1d'),
  WIDGET_MAX_ORDERS: positiveInteger(20, 'Set how many orders the widget lists, such as 20.'),
});

/** Names of every environment variable the service reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * Loads `.env` from the working directory into the environment when the file exists. Variables already set
 * in the environment win over the file.
 */
export function loadEnvFile(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Parses a duration such as `250ms`, `30s`, `5m`, `2h`, `14d`, or a bare number of milliseconds. */
export function parseDuration(value: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return null;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Math.round(Number(match[1]) * units[match[2] ?? 'ms']!);
}

/**
 * Parses the environment into a typed configuration.
 * Throws one error listing every missing or invalid variable, so a deployment can be fixed in one pass.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty value (`NAME=` in .env) means "use the default", as if the variable were not set.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(set);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration; fix these environment variables:\n${lines.join('\n')}`);
  }
  const raw = result.data;
  const gorgias = resolveGorgias(raw);
  return {
    logLevel: raw.LOG_LEVEL,
    dataDir: raw.DATA_DIR,
    temporal: {
      address: raw.TEMPORAL_ADDRESS,
      namespace: raw.TEMPORAL_NAMESPACE,
      taskQueue: raw.TEMPORAL_TASK_QUEUE,
      gorgiasTaskQueue: raw.TEMPORAL_GORGIAS_TASK_QUEUE,
      uiPort: raw.TEMPORAL_UI_PORT,
      cliPath: raw.TEMPORAL_CLI_PATH,
      apiKey: raw.TEMPORAL_API_KEY,
      tls: resolveTemporalTls(raw),
      payloadCodecKeys: raw.PAYLOAD_CODEC_KEYS,
    },
    api: {
      host: raw.API_HOST,
      port: raw.API_PORT,
      maxBodyBytes: raw.WEBHOOK_MAX_BODY_BYTES,
      webhookSecrets: raw.WHIPLASH_WEBHOOK_SECRETS,
      temporalTimeoutMs: raw.WEBHOOK_TEMPORAL_TIMEOUT,
      codecServer: { token: raw.CODEC_SERVER_TOKEN, corsOrigins: raw.CODEC_CORS_ORIGINS },
    },
    worker: {
      host: raw.WORKER_HTTP_HOST,
      port: raw.WORKER_HTTP_PORT,
      sdkMetricsPort: raw.WORKER_SDK_METRICS_PORT,
      /** Workflows the worker keeps in its cache, or undefined for the Temporal SDK's default. */
      maxCachedWorkflows: raw.WORKER_MAX_CACHED_WORKFLOWS,
    },
    shutdownGraceMs: raw.SHUTDOWN_GRACE_TIME,
    gorgias,
    whiplash: resolveWhiplash(raw),
    reconcile: { intervalMs: raw.RECONCILE_INTERVAL, overlapMs: raw.RECONCILE_OVERLAP },
    sync: {
      settlePeriodMs: raw.ORDER_SETTLE_PERIOD,
      debounceWindowMs: raw.CUSTOMER_DEBOUNCE_WINDOW,
      idleTimeoutMs: raw.CUSTOMER_IDLE_TIMEOUT,
      maxWidgetOrders: raw.WIDGET_MAX_ORDERS,
    },
  };
}

type RawConfig = z.infer<typeof schema>;

/** Webhook signing key that `npm start` and `npm run post-fixture` use when WHIPLASH_WEBHOOK_SECRETS is empty. */
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret';

/** Credentials the local Gorgias emulator accepts by default; they protect nothing real. */
export const EMULATOR_AUTH = {
  type: 'api-key' as const,
  username: DEFAULT_CREDENTIALS.username,
  apiKey: DEFAULT_CREDENTIALS.apiKey,
};

export type GorgiasConfig = ReturnType<typeof resolveGorgias>;

// Gorgias's per-account budget (Gorgias API docs, Limitations): 40 requests per 20 s for API keys and 80 for
// OAuth apps. The worker spends at most this many on the account unless GORGIAS_REQUESTS_PER_20S sets a lower budget.
function resolveGorgias(raw: RawConfig) {
  const budgetPer20s = raw.GORGIAS_REQUESTS_PER_20S ?? (raw.GORGIAS_AUTH === 'oauth' ? 80 : 40);
  const common = { budgetPer20s, emulatorPort: raw.GORGIAS_EMULATOR_PORT };
  if (raw.GORGIAS_BASE_URL === undefined) {
    return {
      ...common,
      mode: 'emulator' as const,
      account: raw.GORGIAS_ACCOUNT ?? 'emulator',
      baseUrl: `http://127.0.0.1:${raw.GORGIAS_EMULATOR_PORT}`,
      auth: EMULATOR_AUTH,
    };
  }
  const missing = requiredGorgiasCredentials(raw).filter((name) => raw[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Invalid configuration: GORGIAS_BASE_URL is set, so ${missing.join(' and ')} must be set too ` +
        `(GORGIAS_AUTH=${raw.GORGIAS_AUTH}). Unset GORGIAS_BASE_URL to use the local Gorgias emulator instead.`,
    );
  }
  const auth: GorgiasAuth =
    raw.GORGIAS_AUTH === 'oauth'
      ? { type: 'oauth' as const, accessToken: raw.GORGIAS_ACCESS_TOKEN! }
      : { type: 'api-key' as const, username: raw.GORGIAS_USERNAME!, apiKey: raw.GORGIAS_API_KEY! };
  const account = raw.GORGIAS_ACCOUNT ?? new URL(raw.GORGIAS_BASE_URL).hostname.split('.')[0]!;
  return { ...common, mode: 'remote' as const, account, baseUrl: raw.GORGIAS_BASE_URL, auth };
}

// TLS is on when TEMPORAL_TLS is true, or when an API key or any TLS file is set and TEMPORAL_TLS is not false.
function resolveTemporalTls(raw: RawConfig) {
  const files = {
    clientCertPath: raw.TEMPORAL_TLS_CLIENT_CERT_PATH,
    clientKeyPath: raw.TEMPORAL_TLS_CLIENT_KEY_PATH,
    serverCaCertPath: raw.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
    serverName: raw.TEMPORAL_TLS_SERVER_NAME,
  };
  const implied = raw.TEMPORAL_API_KEY !== undefined || Object.values(files).some((value) => value !== undefined);
  const enabled = raw.TEMPORAL_TLS === undefined ? implied : raw.TEMPORAL_TLS === 'true';
  if ((files.clientCertPath === undefined) !== (files.clientKeyPath === undefined)) {
    throw new Error(
      'Invalid configuration: set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH for mTLS, or neither.',
    );
  }
  return { enabled, ...files };
}

export type WhiplashConfig = ReturnType<typeof resolveWhiplash>;

// Without WHIPLASH_BASE_URL the service reads orders from the local Whiplash emulator that `npm start` runs.
function resolveWhiplash(raw: RawConfig) {
  const requestsPerSecond = raw.WHIPLASH_REQUESTS_PER_SECOND;
  if (raw.WHIPLASH_BASE_URL === undefined) {
    const credentials = DEFAULT_WHIPLASH_CREDENTIALS;
    return {
      mode: 'emulator' as const,
      baseUrl: `http://127.0.0.1:${raw.WHIPLASH_EMULATOR_PORT}`,
      emulatorPort: raw.WHIPLASH_EMULATOR_PORT,
      requestsPerSecond,
      auth: { ...credentials } as WhiplashAuth,
    };
  }
  if (raw.WHIPLASH_ACCESS_TOKEN === undefined && raw.WHIPLASH_REFRESH_TOKEN === undefined) {
    throw new Error(
      'Invalid configuration: WHIPLASH_BASE_URL is set, so WHIPLASH_ACCESS_TOKEN (or WHIPLASH_REFRESH_TOKEN with ' +
        'WHIPLASH_CLIENT_ID and WHIPLASH_CLIENT_SECRET) must be set too. Unset WHIPLASH_BASE_URL to use the local ' +
        'Whiplash emulator instead.',
    );
  }
  const refreshing = raw.WHIPLASH_REFRESH_TOKEN !== undefined;
  if (refreshing && (raw.WHIPLASH_CLIENT_ID === undefined || raw.WHIPLASH_CLIENT_SECRET === undefined)) {
    throw new Error(
      'Invalid configuration: WHIPLASH_REFRESH_TOKEN is set, so WHIPLASH_CLIENT_ID and WHIPLASH_CLIENT_SECRET ' +
        'must be set too; Whiplash needs them to issue a new access token.',
    );
  }
  const auth: WhiplashAuth = {
    accessToken: raw.WHIPLASH_ACCESS_TOKEN ?? '',
    refreshToken: raw.WHIPLASH_REFRESH_TOKEN,
    clientId: raw.WHIPLASH_CLIENT_ID,
    clientSecret: raw.WHIPLASH_CLIENT_SECRET,
  };
  return {
    mode: 'remote' as const,
    baseUrl: raw.WHIPLASH_BASE_URL,
    emulatorPort: raw.WHIPLASH_EMULATOR_PORT,
    requestsPerSecond,
    auth,
  };
}

function requiredGorgiasCredentials(raw: RawConfig): (keyof RawConfig)[] {
  return raw.GORGIAS_AUTH === 'oauth' ? ['GORGIAS_ACCESS_TOKEN'] : ['GORGIAS_USERNAME', 'GORGIAS_API_KEY'];
}
