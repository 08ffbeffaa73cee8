// `npm run reconcile -- <command>`: manages the Temporal Schedule that reconciles Gorgias with the Whiplash API.
import { parseArgs } from 'node:util';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { loadEnvFile, parseConfig, parseDuration, type Config } from '../config';
import { ensureReconcileSchedule, RECONCILE_SCHEDULE_ID, readReconcileWatermark } from '../reconcile/schedule';
import { orderWorkflowInput } from '../sync/send-order-event';
import { connectClient } from '../temporal-connection';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';

const HELP = `Usage: npm run reconcile -- <command> [options]

A Temporal Schedule (id ${RECONCILE_SCHEDULE_ID}) starts a reconcile run every interval. Each run lists the
Whiplash orders updated since the previous run ended and sends each to its order workflow, so edits that fire
no webhook (address, email, items) and deliveries Whiplash gave up on still reach Gorgias.

Commands:
  setup      create the schedule, or update its interval; safe to run again (the watermark is kept)
  trigger    start one run now, in addition to the scheduled ones
  status     print the interval, the watermark, and the recent and next runs
  delete     delete the schedule (running runs finish)

Options:
  --every DURATION   interval for setup, e.g. 15m or 1h (default RECONCILE_INTERVAL, else 15m)
  -h, --help         show this help
`;

async function main(): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { every: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (!['setup', 'trigger', 'status', 'delete'].includes(command)) {
    process.stderr.write(`reconcile: unknown command ${command}; run npm run reconcile -- --help\n`);
    return 2;
  }
  loadEnvFile();
  const config = parseConfig();
  const client = await connectClient(config.temporal);
  try {
    return await run(command, client, config, values.every);
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    process.stderr.write(`reconcile: the schedule ${RECONCILE_SCHEDULE_ID} does not exist; run setup first\n`);
    return 1;
  } finally {
    await client.connection.close();
  }
}

async function run(command: string, client: Client, config: Config, every: string | undefined): Promise<number> {
  const handle = client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
  switch (command) {
    case 'setup': {
      const intervalMs = every === undefined ? config.reconcile.intervalMs : parseDuration(every);
      if (intervalMs === null || intervalMs < 60_000) {
        const source = every === undefined ? `RECONCILE_INTERVAL=${intervalMs}ms` : `--every ${every}`;
        process.stderr.write(`reconcile: the interval must be a duration of at least 1m, such as 15m; got ${source}\n`);
        return 2;
      }
      const result = await ensureReconcileSchedule(client, {
        intervalMs,
        overlapMs: config.reconcile.overlapMs,
        taskQueue: config.temporal.taskQueue,
        order: orderWorkflowInput(config),
      });
      process.stdout.write(
        `Schedule ${RECONCILE_SCHEDULE_ID} ${result}: a run every ${every ?? `${intervalMs / 60_000}m`}\n`,
      );
      return 0;
    }
    case 'trigger':
      await handle.trigger();
      process.stdout.write(`Started a reconcile run; see it in the Temporal UI under ${RECONCILE_SCHEDULE_ID}-run\n`);
      return 0;
    case 'delete':
      await handle.delete();
      process.stdout.write(`Deleted schedule ${RECONCILE_SCHEDULE_ID}\n`);
      return 0;
    default: {
      const description = await handle.describe();
      const watermark = await readReconcileWatermark(client);
      const lines = [
        `Schedule ${RECONCILE_SCHEDULE_ID}${description.state.paused ? ' (paused)' : ''}`,
        `  interval    ${description.spec.intervals?.map((interval) => String(interval.every)).join(', ')}`,
        `  watermark   ${watermark ?? '(no run has finished yet)'}`,
        ...description.info.recentActions.map(
          (action) => `  ran         ${action.takenAt.toISOString()} ${action.action.workflow.workflowId}`,
        ),
        ...description.info.nextActionTimes.slice(0, 3).map((time) => `  next        ${time.toISOString()}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reconcile failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
