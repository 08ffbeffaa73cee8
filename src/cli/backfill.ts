// `npm run backfill -- [options]`: sends Whiplash orders from the Whiplash API or a file through the same
// signal the webhook sends, so Gorgias catches up with orders that changed while no webhook arrived.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCheckpointWriter, loadCheckpoint } from '../backfill/checkpoint';
import { createProgressReporter } from '../backfill/progress';
import { runBackfill, type BackfillReport } from '../backfill/run-backfill';
import { apiOrderSource, fileOrderSource, type OrderSource } from '../backfill/sources';
import { loadEnvFile, parseConfig, parseDuration, type Config } from '../config';
import { createLogger } from '../logger';
import { createOrderEventDelivery } from '../sync/deliver-order-event';
import { orderWorkflowInput } from '../sync/send-order-event';
import { connectClient } from '../temporal-connection';
import type { OrderQuery } from '../whiplash/api-client';
import { whiplashClientFor } from '../clients';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';

const HELP = `Usage: npm run backfill -- (--since WHEN | --file FILE) [options]

Sends every matching Whiplash order to its order workflow with the signal the webhook sends. Workflows ignore
orders they already hold, so a backfill can overlap live webhooks and can run again safely. Progress goes to
stderr; the report goes to stdout. The exit code is 0 when every order was sent or unchanged, 1 when an order
was rejected or the run failed, and 130 after Ctrl-C.

Source (one of):
  --since WHEN        list orders from the Whiplash API updated at or after WHEN: an ISO 8601 time such as
                      2026-03-01T00:00:00Z, or a duration back from now such as 90d or 12h
  --file FILE         read orders from FILE: a JSON array (as GET /api/v2/orders returns), one JSON order, or
                      NDJSON with one order or webhook body per line

Filters for the API source:
  --until WHEN        only orders updated before WHEN (default: the time the backfill started)
  --status CODES      comma-separated Whiplash status codes, e.g. 100,300 (search predicate status_in)
  --store SHOP_ID     only orders of one sales channel (search predicate originator_shop_id_eq)
  --customer-id ID    only orders of one Whiplash merchant account (search predicate customer_id_eq)
  --search JSON       extra Ransack predicates merged into the search, e.g. '{"order_type_eq":"wholesale"}'

Options:
  --concurrency N     orders in flight at once (default 8)
  --dry-run           check each order against its workflow and print what would be sent; send nothing
  --checkpoint FILE   where progress is saved (default DATA_DIR/backfill-<hash of the source>.json); an
                      interrupted run resumes from it when run again with the same source
  --restart           ignore an existing checkpoint and start from the first order
  -h, --help          show this help
`;

type Values = Record<string, string | boolean | undefined>;

interface Arguments {
  /** Identifies the backfill in its checkpoint: the source flags as typed. */
  description: string;
  concurrency: number;
  dryRun: boolean;
  checkpointFile: string;
  restart: boolean;
}

async function main(): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const { values } = parseArgs({
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      status: { type: 'string' },
      store: { type: 'string' },
      'customer-id': { type: 'string' },
      search: { type: 'string' },
      file: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'dry-run': { type: 'boolean', default: false },
      checkpoint: { type: 'string' },
      restart: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  loadEnvFile();
  const config = parseConfig();
  const args = readArguments(values, config);
  const logger = createLogger(process.stderr);
  logger.level = config.logLevel === 'info' ? 'warn' : config.logLevel;

  const checkpoint = createCheckpointWriter(args.checkpointFile);
  const resumeFrom = args.restart || args.dryRun ? null : loadCheckpoint(args.checkpointFile, args.description);
  // A resumed run keeps the window of the first run, so "--since 90d" does not drift and the listing stays closed.
  const window = resumeFrom?.window ?? (values.file === undefined ? resolveWindow(values, new Date()) : undefined);
  const source =
    window === undefined ? fileOrderSource(path.resolve(values.file as string)) : apiSource(values, window, config);
  const client = await connectClient(config.temporal);
  const target = { client, taskQueue: config.temporal.taskQueue, input: orderWorkflowInput(config) };
  if (resumeFrom !== null) {
    const done = resumeFrom.counts.sent + resumeFrom.counts.unchanged + resumeFrom.counts.rejected;
    process.stderr.write(`Resuming from ${args.checkpointFile}: ${done} orders were handled before.\n`);
  }

  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the orders in flight; run the same command again to resume.\n');
    abort.abort();
  });

  const progress = createProgressReporter(process.stderr);
  let checkpointSaved = resumeFrom !== null;
  let report: BackfillReport;
  try {
    report = await runBackfill({
      source,
      deliver: createOrderEventDelivery(target, logger, { dryRun: args.dryRun }),
      eventSource: 'backfill',
      concurrency: args.concurrency,
      resumeFrom,
      signal: abort.signal,
      onProgress: (state) => progress.update(state),
      onCheckpoint: (state) => {
        if (args.dryRun) return;
        checkpoint.update({ source: args.description, window, ...state });
        checkpointSaved = true;
      },
      onOrder: args.dryRun
        ? ({ orderId, outcome, detail }) => {
            const verb = outcome === 'sent' ? 'would send' : outcome;
            process.stdout.write(`${verb.padEnd(10)} order ${String(orderId)}: ${detail}\n`);
          }
        : undefined,
    });
  } catch (error) {
    progress.finish();
    checkpoint.flush();
    const advice = checkpointSaved ? 'Run the same command again to resume.\n' : '';
    process.stderr.write(`Backfill stopped: ${(error as Error).message}\n${advice}`);
    await client.connection.close();
    return 1;
  }
  progress.finish();
  if (report.interrupted) checkpoint.flush();
  else checkpoint.remove();
  await client.connection.close();

  process.stdout.write(formatReport(report, args));
  if (report.interrupted) return 130;
  return report.rejected > 0 ? 1 : 0;
}

function readArguments(values: Values, config: Config): Arguments {
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(`--concurrency must be an integer from 1 to 64, got ${String(values.concurrency)}`);
  }
  const file = values.file as string | undefined;
  if ((file === undefined) === (values.since === undefined)) {
    throw new UsageError('Pass either --since (to list orders from the Whiplash API) or --file, not both or neither');
  }
  const sourceFlags = ['since', 'until', 'status', 'store', 'customer-id', 'search'].map((flag) => [
    flag,
    values[flag],
  ]);
  const description =
    file !== undefined
      ? `file ${path.resolve(file)}`
      : `whiplash-api ${JSON.stringify(Object.fromEntries(sourceFlags))}`;
  const hash = createHash('sha256').update(description).digest('hex').slice(0, 12);
  return {
    description,
    concurrency,
    dryRun: values['dry-run'] === true,
    checkpointFile: (values.checkpoint as string | undefined) ?? path.join(config.dataDir, `backfill-${hash}.json`),
    restart: values.restart === true,
  };
}

/** Resolves --since and --until into a closed window; the end defaults to the time the backfill started. */
function resolveWindow(values: Values, now: Date): { since: string; until: string } {
  const since = readTime('--since', values.since as string, now);
  const until = values.until === undefined ? now : readTime('--until', values.until as string, now);
  if (since >= until)
    throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  return { since: since.toISOString(), until: until.toISOString() };
}

function apiSource(values: Values, window: { since: string; until: string }, config: Config): OrderSource {
  const query: OrderQuery = {
    updatedSince: new Date(window.since),
    updatedUntil: new Date(window.until),
    statuses: values.status === undefined ? undefined : readIntegers('--status', values.status as string),
    shopId: values.store === undefined ? undefined : readId('--store', values.store as string),
    customerId:
      values['customer-id'] === undefined ? undefined : readId('--customer-id', values['customer-id'] as string),
    search: values.search === undefined ? undefined : readSearch(values.search as string),
  };
  return apiOrderSource(whiplashClientFor(config), query);
}

function readTime(flag: string, text: string, now: Date): Date {
  const ago = parseDuration(text);
  if (ago !== null) return new Date(now.getTime() - ago);
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(
      `${flag} must be an ISO 8601 time such as 2026-03-01T00:00:00Z or a duration such as 90d, got ${text}`,
    );
  }
  return time;
}

function readIntegers(flag: string, text: string): number[] {
  const numbers = text.split(',').map((part) => Number(part.trim()));
  if (numbers.some((value) => !Number.isSafeInteger(value) || value < 0)) {
    throw new UsageError(`${flag} must be a comma-separated list of non-negative integers, got ${text}`);
  }
  return numbers;
}

function readId(flag: string, text: string): number {
  const id = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(id) || id < 0) {
    throw new UsageError(`${flag} must be one id (a non-negative integer), got ${text}; run the backfill once per id`);
  }
  return id;
}

function readSearch(text: string): Record<string, unknown> {
  let search: unknown;
  try {
    search = JSON.parse(text);
  } catch {
    throw new UsageError(`--search must be a JSON object such as '{"order_type_eq":"wholesale"}', got ${text}`);
  }
  if (search === null || typeof search !== 'object' || Array.isArray(search)) {
    throw new UsageError(`--search must be a JSON object of Ransack predicates, got ${text}`);
  }
  return search as Record<string, unknown>;
}

function formatReport(report: BackfillReport, args: Arguments): string {
  const title = report.interrupted ? 'Backfill interrupted' : args.dryRun ? 'Dry run complete' : 'Backfill complete';
  const lines = [
    `${title}: ${args.description}`,
    `  ${args.dryRun ? 'would send' : 'sent'}  ${report.sent}`,
    `  unchanged   ${report.unchanged}`,
    `  rejected    ${report.rejected}`,
    ...report.rejectedOrders.map((rejected) => `    order ${String(rejected.orderId)}: ${rejected.reason}`),
  ];
  if (report.rejected > report.rejectedOrders.length) {
    lines.push(`    … and ${report.rejected - report.rejectedOrders.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

class UsageError extends Error {}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    process.stderr.write(`backfill: ${(error as Error).message}${usage ? '\nSee npm run backfill -- --help' : ''}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
