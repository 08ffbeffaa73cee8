import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

type TemporalConfig = Config['temporal'];

/** Connects a Temporal client for starting and signalling workflows. */
export async function connectClient(temporal: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({ address: temporal.address });
  return new Client({ connection, namespace: temporal.namespace });
}

/** Connects the native connection that workers poll through. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporal.address });
}
