import {
  applyConfigUpdate,
  DEFAULT_CONFIG,
  DEFAULT_CREDENTIALS,
  type GorgiasEmulatorConfig,
  type GorgiasEmulatorConfigUpdate,
  type GorgiasEmulatorCredentials,
  type GorgiasEmulatorOptions,
} from './options';
import { LeakyBucket } from './rate-limit';
import { RequestLog } from './request-log';
import { CustomerStore } from './state';
import { WidgetStore } from './widget-store';

/**
 * Everything one emulated Gorgias account holds: customers, sidebar widgets, rate-limit bucket, request log and
 * settings.
 */
export class GorgiasEmulatorState {
  readonly customers: CustomerStore;
  readonly widgets: WidgetStore;
  readonly requestLog: RequestLog;
  readonly credentials: GorgiasEmulatorCredentials;
  readonly random: () => number;
  readonly now: () => number;
  private currentConfig: GorgiasEmulatorConfig;
  private bucket: LeakyBucket | null;

  /** Throws a TypeError naming the option when a credential is empty or a setting is out of range. */
  constructor(options: GorgiasEmulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.credentials = resolveCredentials(options.credentials);
    this.currentConfig = applyConfigUpdate(DEFAULT_CONFIG, pickConfigUpdate(options));
    this.customers = new CustomerStore(this.now);
    this.widgets = new WidgetStore(this.now);
    this.requestLog = new RequestLog(this.now);
    this.bucket = this.createBucket();
  }

  /** A copy of the current settings. */
  get config(): GorgiasEmulatorConfig {
    return structuredClone(this.currentConfig);
  }

  /** The account's leaky bucket, or null while the rate limit is off. */
  get rateLimiter(): LeakyBucket | null {
    return this.bucket;
  }

  /**
   * Applies a partial config and returns the result. A new `rateLimit` starts with an empty bucket.
   * Throws a TypeError naming the field when the update is invalid.
   */
  configure(update: GorgiasEmulatorConfigUpdate): GorgiasEmulatorConfig {
    this.currentConfig = applyConfigUpdate(this.currentConfig, update);
    if (update.rateLimit !== undefined) {
      this.bucket = this.createBucket();
    }
    return this.config;
  }

  /** Deletes all customers and widgets, empties the request log and the bucket, and cancels pending data writes. */
  reset(): void {
    this.customers.reset();
    this.widgets.reset();
    this.requestLog.reset();
    this.bucket = this.createBucket();
  }

  private createBucket(): LeakyBucket | null {
    const { rateLimit } = this.currentConfig;
    return rateLimit ? new LeakyBucket(rateLimit, this.now) : null;
  }
}

function resolveCredentials(overrides: Partial<GorgiasEmulatorCredentials> = {}): GorgiasEmulatorCredentials {
  const credentials = { ...DEFAULT_CREDENTIALS, ...overrides };
  for (const [name, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`Gorgias emulator option credentials.${name} must be a non-empty string`);
    }
  }
  if (credentials.username.includes(':')) {
    throw new TypeError('Gorgias emulator option credentials.username must not contain ":" (HTTP Basic separator)');
  }
  return credentials;
}

function pickConfigUpdate(options: GorgiasEmulatorOptions): GorgiasEmulatorConfigUpdate {
  const update: GorgiasEmulatorConfigUpdate = {};
  if (options.faults !== undefined) {
    update.faults = options.faults;
  }
  if (options.rateLimit !== undefined) {
    update.rateLimit = options.rateLimit;
  }
  if (options.dataApplyDelayMs !== undefined) {
    update.dataApplyDelayMs = options.dataApplyDelayMs;
  }
  return update;
}
