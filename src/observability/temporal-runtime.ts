import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../logger';
import { freePort } from '../temporal-cli/dev-server';

export interface TemporalRuntimeOptions {
  /** Workflow, activity and SDK log lines go to this logger, at its level. */
  logger: Logger;
  /**
   * Loopback port where the SDK serves its Prometheus metrics; 0 picks a free one.
   * Leave it undefined to collect no SDK metrics.
   */
  sdkMetricsPort?: number;
  /**
   * Signals on which the SDK shuts the workers down. The default, SIGINT and SIGTERM, suits a process that only
   * runs workers; a process that stops other parts first passes `[]` and calls `worker.shutdown()` itself.
   */
  shutdownSignals?: NodeJS.Signals[];
}

/** Result of {@link installTemporalRuntime}. */
export interface InstalledTemporalRuntime {
  /** URL of the SDK's own Prometheus endpoint, or null when SDK metrics are off. */
  sdkMetricsUrl: string | null;
}

/**
 * Installs the Temporal SDK runtime of this process, once, before any worker or native connection exists.
 * Workflow and activity code log through the SDK logger (`log` from `@temporalio/workflow` and
 * `@temporalio/activity`), which adds the workflow id, run id and task queue. The runtime sends those lines,
 * and the SDK's own, to the service's JSON log.
 */
export async function installTemporalRuntime(options: TemporalRuntimeOptions): Promise<InstalledTemporalRuntime> {
  const port = options.sdkMetricsPort === undefined ? null : options.sdkMetricsPort || (await freePort());
  const bindAddress = port === null ? null : `127.0.0.1:${port}`;
  Runtime.install({
    logger: new DefaultLogger('TRACE', forwardTo(options.logger)),
    shutdownSignals: options.shutdownSignals ?? ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(bindAddress === null ? {} : { metrics: { prometheus: { bindAddress, countersTotalSuffix: true } } }),
    },
  });
  return { sdkMetricsUrl: bindAddress === null ? null : `http://${bindAddress}/metrics` };
}

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

function forwardTo(logger: Logger) {
  return (entry: LogEntry) => {
    const level = PINO_LEVELS[entry.level];
    if (!logger.isLevelEnabled(level)) return;
    // pino serializes errors only under `err`, but the SDK puts them under `error`. The activity task token is
    // dropped because it lets its holder complete the activity.
    const { error, taskToken: _taskToken, ...meta } = entry.meta ?? {};
    logger[level](error === undefined ? meta : { ...meta, err: error }, entry.message);
  };
}
