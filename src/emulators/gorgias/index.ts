import { closeEmulator, listenEmulator } from '../serve';
import { createGorgiasEmulatorApp } from './app';
import type { GorgiasEmulatorState } from './emulator-state';
import {
  DEFAULT_HOST,
  type GorgiasEmulatorConfig,
  type GorgiasEmulatorConfigUpdate,
  type GorgiasEmulatorCredentials,
  type GorgiasEmulatorOptions,
} from './options';

export { createGorgiasEmulatorApp, type GorgiasEmulatorApp } from './app';
export type { GorgiasEmulatorState } from './emulator-state';
export {
  API_KEY_RATE_LIMIT,
  DEFAULT_CREDENTIALS,
  OAUTH_RATE_LIMIT,
  type GorgiasEmulatorConfig,
  type GorgiasEmulatorConfigUpdate,
  type GorgiasEmulatorCredentials,
  type GorgiasEmulatorFaults,
  type GorgiasEmulatorOptions,
  type GorgiasEmulatorRateLimit,
} from './options';
export type { EmulatorStats, RequestLogEntry } from './request-log';
export type { EmulatedChannel, EmulatedCustomer, EmulatedWidget, WidgetContext } from './types';

/** A listening emulator. */
export interface RunningGorgiasEmulator {
  /** Base URL without `/api`, e.g. `http://127.0.0.1:8090`. */
  url: string;
  port: number;
  credentials: GorgiasEmulatorCredentials;
  /** In-process access to the customers, the request log and the settings. */
  state: GorgiasEmulatorState;
  /** Applies a partial config at run time and returns the result. Throws a TypeError when it is invalid. */
  configure(update: GorgiasEmulatorConfigUpdate): GorgiasEmulatorConfig;
  /** Stops listening, closes open connections and cancels pending data writes. */
  close(): Promise<void>;
}

/** Starts the emulator on `host:port` (default 127.0.0.1 and a free port) and resolves once it listens. */
export async function startGorgiasEmulator(options: GorgiasEmulatorOptions = {}): Promise<RunningGorgiasEmulator> {
  const { app, state } = createGorgiasEmulatorApp(options);
  const { server, port, url } = await listenEmulator(app, options.host ?? DEFAULT_HOST, options.port ?? 0);
  return {
    url,
    port,
    credentials: { ...state.credentials },
    state,
    configure: (update) => state.configure(update),
    close: () => {
      state.customers.cancelPendingWrites();
      return closeEmulator(server);
    },
  };
}
