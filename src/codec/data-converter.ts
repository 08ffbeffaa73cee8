import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { AesGcmCodec, type CodecKey } from './aes-gcm-codec';
import type { CodecRouteOptions } from './codec-routes';

/** Path of the module whose failure converter encodes failure messages and stack traces as payloads. */
export const ENCODING_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * Builds the data converter that every client and worker uses: AES-256-GCM encryption of all payloads, and
 * failure messages and stack traces moved into payloads so they are encrypted too. Returns undefined when no
 * key is configured, which leaves payloads in plain text.
 */
export function payloadDataConverter(keys: readonly CodecKey[]): DataConverter | undefined {
  if (keys.length === 0) return undefined;
  return { payloadCodecs: [new AesGcmCodec(keys)], failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH };
}

/** Builds the codec server's options from the configuration, or returns undefined when no key is configured. */
export function codecServerOptions(config: Pick<Config, 'temporal' | 'api'>): CodecRouteOptions | undefined {
  const keys = config.temporal.payloadCodecKeys;
  if (keys.length === 0) return undefined;
  return {
    codec: new AesGcmCodec(keys),
    token: config.api.codecServer.token,
    corsOrigins: config.api.codecServer.corsOrigins,
  };
}
