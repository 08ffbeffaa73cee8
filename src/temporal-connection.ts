import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { payloadDataConverter } from './codec/data-converter';
import type { Config } from './config';
import type { ReadinessCheck } from './observability/ops-routes';

type TemporalConfig = Config['temporal'];

/**
 * Builds the connection options shared by clients and workers: the address, the API key, and TLS with the
 * client certificate pair and the server CA read from their files. Throws naming a file it cannot read.
 */
export function connectionOptions(temporal: TemporalConfig): {
  address: string;
  apiKey?: string;
  tls?: TLSConfig | false;
} {
  const { tls } = temporal;
  if (!tls.enabled) return { address: temporal.address, apiKey: temporal.apiKey, tls: false };
  const read = (variable: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`${variable} names ${file}, which cannot be read: ${(error as Error).message}`);
    }
  };
  const config: TLSConfig = {};
  if (tls.clientCertPath !== undefined && tls.clientKeyPath !== undefined) {
    config.clientCertPair = {
      crt: read('TEMPORAL_TLS_CLIENT_CERT_PATH', tls.clientCertPath),
      key: read('TEMPORAL_TLS_CLIENT_KEY_PATH', tls.clientKeyPath),
    };
  }
  if (tls.serverCaCertPath !== undefined) {
    config.serverRootCACertificate = read('TEMPORAL_TLS_SERVER_CA_CERT_PATH', tls.serverCaCertPath);
  }
  if (tls.serverName !== undefined) config.serverNameOverride = tls.serverName;
  return { address: temporal.address, apiKey: temporal.apiKey, tls: config };
}

/** Connects a Temporal client for starting and signalling workflows; throws naming the address when it cannot. */
export async function connectClient(temporal: TemporalConfig): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionOptions(temporal));
  } catch (error) {
    throw new Error(
      `Could not connect to Temporal at ${temporal.address} (${(error as Error).message}); ` +
        'check TEMPORAL_ADDRESS and that the server is running',
      { cause: error },
    );
  }
  return new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: payloadDataConverter(temporal.payloadCodecKeys),
  });
}

/**
 * Creates a Temporal client that connects on first use, for the API. The API then starts and serves `/healthz`
 * while Temporal is down, and its webhook and `/readyz` return 503 until Temporal is back.
 */
export function lazyClient(temporal: TemporalConfig): Client {
  return new Client({
    connection: Connection.lazy(connectionOptions(temporal)),
    namespace: temporal.namespace,
    dataConverter: payloadDataConverter(temporal.payloadCodecKeys),
  });
}

/** Connects the native connection that workers poll through. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(temporal));
}

/**
 * Creates a readiness check that calls DescribeNamespace on the Temporal server. Its success proves that the
 * connection, the server and the namespace all work.
 */
export function temporalReadiness(connection: DescribableConnection, namespace: string): ReadinessCheck {
  return {
    name: 'temporal',
    check: async () => {
      await connection.withDeadline(Date.now() + READINESS_DEADLINE_MS, () =>
        connection.workflowService.describeNamespace({ namespace }),
      );
    },
  };
}

// Shorter than the 5 s the readiness route waits, so the call ends by itself before the route gives up on it.
const READINESS_DEADLINE_MS = 1500;

/** The part of a client connection and a worker's native connection that the readiness check uses. */
interface DescribableConnection {
  workflowService: { describeNamespace(request: { namespace: string }): Promise<unknown> };
  withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R>;
}
