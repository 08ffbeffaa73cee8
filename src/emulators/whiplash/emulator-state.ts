import { DEFAULT_FIRST_GENERATED_ID, generateWhiplashOrders, type GenerateWhiplashOrdersOptions } from './generator';
import {
  applyConfigUpdate,
  DEFAULT_CONFIG,
  DEFAULT_WHIPLASH_CREDENTIALS,
  type WhiplashEmulatorConfig,
  type WhiplashEmulatorConfigUpdate,
  type WhiplashEmulatorCredentials,
  type WhiplashEmulatorOptions,
} from './options';
import { OrderStore, type AddOrdersResult } from './order-store';
import { RateLimiter } from './rate-limit';
import { RequestLog } from './request-log';
import { TokenStore } from './tokens';

/** Everything one emulated Whiplash account holds: orders, tokens, rate-limit window, request log and settings. */
export class WhiplashEmulatorState {
  readonly orders: OrderStore;
  readonly tokens: TokenStore;
  readonly requestLog: RequestLog;
  readonly credentials: WhiplashEmulatorCredentials;
  readonly random: () => number;
  /** The emulator's clock in epoch ms: the `now` option plus every advance of the clock. */
  readonly now: () => number;
  private clockOffsetMs = 0;
  private currentConfig: WhiplashEmulatorConfig;
  private limiter: RateLimiter | null;
  private readonly initialOrders: readonly unknown[];

  /**
   * Throws a TypeError naming the option when a credential is empty, a setting is out of range or an order is
   * invalid.
   */
  constructor(options: WhiplashEmulatorOptions = {}) {
    const baseNow = options.now ?? Date.now;
    this.now = () => baseNow() + this.clockOffsetMs;
    this.random = options.random ?? Math.random;
    this.credentials = resolveCredentials(options.credentials);
    this.currentConfig = applyConfigUpdate(DEFAULT_CONFIG, pickConfigUpdate(options));
    this.initialOrders = options.orders ?? [];
    this.orders = new OrderStore(this.now);
    this.orders.add(this.initialOrders);
    this.tokens = new TokenStore(this.credentials, this.now);
    this.tokens.reset(this.currentConfig.tokenTtlSeconds);
    this.requestLog = new RequestLog(this.now);
    this.limiter = this.createLimiter();
  }

  /** A copy of the current settings. */
  get config(): WhiplashEmulatorConfig {
    return structuredClone(this.currentConfig);
  }

  /** The account's rate limiter, or null while the rate limit is off. */
  get rateLimiter(): RateLimiter | null {
    return this.limiter;
  }

  /**
   * Applies a partial config and returns the result. A new `rateLimitPerSecond` starts with an empty window, and
   * a new `tokenTtlSeconds` applies to tokens issued from then on. Throws a TypeError naming an invalid field.
   */
  configure(update: WhiplashEmulatorConfigUpdate): WhiplashEmulatorConfig {
    this.currentConfig = applyConfigUpdate(this.currentConfig, update);
    if (update.rateLimitPerSecond !== undefined) {
      this.limiter = this.createLimiter();
    }
    return this.config;
  }

  /** Adds raw orders, replacing stored orders with the same id. Throws a TypeError naming an invalid order. */
  addOrders(orders: readonly unknown[]): AddOrdersResult {
    return this.orders.add(orders);
  }

  /**
   * Edits an order as Whiplash would: merges `fields` into it and sets `updated_at` to the emulator's time.
   * Returns the edited order. Throws a RangeError when no order has the id.
   */
  editOrder(id: number, fields: Record<string, unknown>): Record<string, unknown> {
    const order = this.orders.edit(id, fields);
    if (!order) {
      throw new RangeError(`Whiplash emulator has no order with id ${id}`);
    }
    return order;
  }

  /** Copies of every order, by ascending id. */
  listOrders(): Record<string, unknown>[] {
    return this.orders.list();
  }

  /**
   * Generates orders with {@link generateWhiplashOrders} and adds them. Unless `firstId` is given, ids start
   * after the highest stored id, so that generated orders never replace others.
   */
  generateOrders(options: GenerateWhiplashOrdersOptions): Record<string, unknown>[] {
    const firstId = options.firstId ?? Math.max(DEFAULT_FIRST_GENERATED_ID, this.orders.maxId() + 1);
    const orders = generateWhiplashOrders({ ...options, firstId });
    this.orders.add(orders);
    return orders;
  }

  /** Moves the emulator's clock forward, e.g. past the lifetime of the access tokens. */
  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new TypeError(`The Whiplash emulator clock only moves forward: got ${ms} ms`);
    }
    this.clockOffsetMs += ms;
  }

  /**
   * Restores the start state: the initial orders, the configured tokens, an empty request log and rate-limit
   * window, and the clock without any advance. The config keeps its current values.
   */
  reset(): void {
    this.clockOffsetMs = 0;
    this.orders.reset(this.initialOrders);
    this.tokens.reset(this.currentConfig.tokenTtlSeconds);
    this.requestLog.reset();
    this.limiter = this.createLimiter();
  }

  private createLimiter(): RateLimiter | null {
    const { rateLimitPerSecond } = this.currentConfig;
    return rateLimitPerSecond === null ? null : new RateLimiter(rateLimitPerSecond, this.now);
  }
}

function resolveCredentials(overrides: Partial<WhiplashEmulatorCredentials> = {}): WhiplashEmulatorCredentials {
  const credentials = { ...DEFAULT_WHIPLASH_CREDENTIALS, ...overrides };
  for (const [name, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TypeError(`Whiplash emulator option credentials.${name} must be a non-empty string`);
    }
  }
  return credentials;
}

function pickConfigUpdate(options: WhiplashEmulatorOptions): WhiplashEmulatorConfigUpdate {
  const update: WhiplashEmulatorConfigUpdate = {};
  if (options.faults !== undefined) {
    update.faults = options.faults;
  }
  if (options.rateLimitPerSecond !== undefined) {
    update.rateLimitPerSecond = options.rateLimitPerSecond;
  }
  if (options.tokenTtlSeconds !== undefined) {
    update.tokenTtlSeconds = options.tokenTtlSeconds;
  }
  if (options.rotateRefreshTokens !== undefined) {
    update.rotateRefreshTokens = options.rotateRefreshTokens;
  }
  return update;
}
