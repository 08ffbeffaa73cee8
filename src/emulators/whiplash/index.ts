import { closeEmulator, listenEmulator } from '../serve';
import { createWhiplashEmulatorApp } from './app';
import type { WhiplashEmulatorState } from './emulator-state';
import {
  DEFAULT_HOST,
  type WhiplashEmulatorConfig,
  type WhiplashEmulatorConfigUpdate,
  type WhiplashEmulatorCredentials,
  type WhiplashEmulatorOptions,
} from './options';

export { createWhiplashEmulatorApp, type WhiplashEmulatorApp } from './app';
export type { WhiplashEmulatorState } from './emulator-state';
export { DEFAULT_FIRST_GENERATED_ID, generateWhiplashOrders, type GenerateWhiplashOrdersOptions } from './generator';
export {
  DEFAULT_WHIPLASH_CREDENTIALS,
  WHIPLASH_RATE_LIMIT_PER_SECOND,
  WHIPLASH_TOKEN_TTL_SECONDS,
  type WhiplashEmulatorConfig,
  type WhiplashEmulatorConfigUpdate,
  type WhiplashEmulatorCredentials,
  type WhiplashEmulatorFaults,
  type WhiplashEmulatorOptions,
} from './options';
export { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './order-query';
export type { AddOrdersResult } from './order-store';
export type { WhiplashEmulatorStats, WhiplashRequestLogEntry } from './request-log';
export { formatWhiplashTimestamp } from './timestamps';

/** A listening emulator. */
export interface RunningWhiplashEmulator {
  /** Base URL without `/api/v2`, e.g. `http://127.0.0.1:8091`. */
  url: string;
  port: number;
  credentials: WhiplashEmulatorCredentials;
  /** In-process access to the orders, tokens, request log, clock and settings. */
  state: WhiplashEmulatorState;
  /** Applies a partial config at run time and returns the result. Throws a TypeError when it is invalid. */
  configure(update: WhiplashEmulatorConfigUpdate): WhiplashEmulatorConfig;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts the emulator on `host:port` (default 127.0.0.1 and a free port) and resolves once it listens. */
export async function startWhiplashEmulator(options: WhiplashEmulatorOptions = {}): Promise<RunningWhiplashEmulator> {
  const { app, state } = createWhiplashEmulatorApp(options);
  const { server, port, url } = await listenEmulator(app, options.host ?? DEFAULT_HOST, options.port ?? 0);
  return {
    url,
    port,
    credentials: { ...state.credentials },
    state,
    configure: (update) => state.configure(update),
    close: () => {
      return closeEmulator(server);
    },
  };
}
