import type { Client } from '@temporalio/client';
import type { DataConverter, Duration } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createGorgiasActivities, createReconcileActivities, createTemporalActivities } from '../../activities';
import type { GorgiasClient } from '../gorgias';
import type { WhiplashClient } from '../whiplash/api-client';

export interface WorkerSetup {
  connection: NativeConnection;
  client: Client;
  gorgias: GorgiasClient;
  /** Reads orders for the reconcile runs. */
  whiplash: WhiplashClient;
  namespace: string;
  /** Task queue of the order and customer workflows. */
  taskQueue: string;
  /** Task queue of the Gorgias activities. */
  gorgiasTaskQueue: string;
  /**
   * Gorgias requests the account allows per 20 s. The Gorgias task queue runs activities no faster, and `gorgias`
   * should pace its requests to the same budget (`gorgiasClientFor` does).
   */
  gorgiasBudgetPer20s: number;
  /**
   * A bundle made once with `bundleWorkflows()`, with the same `dataConverter`; bundling again per worker is the
   * slow part of a start.
   */
  workflowBundle?: WorkflowBundle;
  /** Payload codecs and failure converter, from `payloadDataConverter()`; none leaves payloads in plain text. */
  dataConverter?: DataConverter;
  maxCachedWorkflows?: number;
  /** How long running activities may finish after shutdown starts: ms or a string such as `30s`. */
  shutdownGraceTime?: Duration;
}

// NOTE: bundling in the worker's own process raised its RSS from 143 MB to 252 MB on the benchmark machine, and
// that memory stays with the process. A bundle built ahead of time (`workflowBundle: { codePath }`) would avoid it.
/**
 * Bundles the workflow code with webpack; reuse the result for every worker of the process. The workflow
 * sandbox gets its failure converter only from the bundle, so pass the workers' data converter here too.
 */
export function bundleWorkflows(dataConverter?: DataConverter): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: dataConverter?.failureConverterPath,
    logger: quietBundlerLogger,
  });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  log: () => undefined,
};

/**
 * Creates the two workers of one process: one hosts the workflows and the activities that signal them, the
 * other runs only the Gorgias activities, on a task queue whose rate Temporal limits across every worker.
 */
export async function createWorkers(setup: WorkerSetup): Promise<Worker[]> {
  const workflowBundle = setup.workflowBundle ?? (await bundleWorkflows(setup.dataConverter));
  const shutdownGraceTime = setup.shutdownGraceTime ?? '30 seconds';

  const workflowWorker = await Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    workflowBundle,
    activities: {
      ...createTemporalActivities(setup.client, setup.taskQueue),
      ...createReconcileActivities(setup.client, setup.taskQueue, setup.whiplash),
    },
    maxCachedWorkflows: setup.maxCachedWorkflows,
    shutdownGraceTime,
    dataConverter: setup.dataConverter,
  });
  const gorgiasWorker = await Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.gorgiasTaskQueue,
    activities: createGorgiasActivities(setup.gorgias),
    // Temporal applies this rate to the task queue, across every worker process. One activity can make several
    // requests (finding or creating a customer, updating a profile), so the Gorgias client paces its requests too.
    // That pacer is per process, so with several processes only this activity rate bounds them together.
    maxTaskQueueActivitiesPerSecond: setup.gorgiasBudgetPer20s / 20,
    maxConcurrentActivityTaskExecutions: 20,
    shutdownGraceTime,
    dataConverter: setup.dataConverter,
  });
  return [workflowWorker, gorgiasWorker];
}

/**
 * Runs the workers until they shut down (SIGINT/SIGTERM or `worker.shutdown()`). If one fails, the others are
 * shut down too, and the promise rejects with the failure once all have stopped.
 */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const runs = workers.map((worker) =>
    worker.run().catch((error: unknown) => {
      for (const other of workers) {
        if (other.getState() === 'RUNNING') other.shutdown();
      }
      throw error;
    }),
  );
  const results = await Promise.allSettled(runs);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
