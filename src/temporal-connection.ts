import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import type { ReadinessCheck } from './observability/ops-routes';

type TemporalConfig = Config['temporal'];

/** Connects a Temporal client for starting and signalling workflows; throws naming the address when it cannot. */
export async function connectClient(temporal: TemporalConfig): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: temporal.address });
  } catch (error) {
    throw new Error(
      `Could not connect to Temporal at ${temporal.address} (${(error as Error).message}); ` +
        'check TEMPORAL_ADDRESS and that the server is running',
      { cause: error },
    );
  }
  return new Client({ connection, namespace: temporal.namespace });
}

/**
 * Creates a Temporal client that connects on first use, for the API: it starts and serves `/healthz` while
 * Temporal is down, and its webhook and `/readyz` answer 503 until Temporal is back.
 */
export function lazyClient(temporal: TemporalConfig): Client {
  return new Client({ connection: Connection.lazy({ address: temporal.address }), namespace: temporal.namespace });
}

/** Connects the native connection that workers poll through. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporal.address });
}

/**
 * A readiness check that asks the Temporal server to describe the namespace, which proves the connection, the
 * server and the namespace all work.
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

// Shorter than the 2 s the readiness route waits, so the call ends by itself before the route gives up on it.
const READINESS_DEADLINE_MS = 1500;

/** What a client's connection and a worker's native connection both offer. */
interface DescribableConnection {
  workflowService: { describeNamespace(request: { namespace: string }): Promise<unknown> };
  withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R>;
}
