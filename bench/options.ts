import { parseArgs } from 'node:util';
import type { BackfillSizes } from './scenarios/backfill';
import type { CallsPerEventSizes } from './scenarios/calls-per-event';
import type { EndToEndSizes } from './scenarios/end-to-end';
import type { IngestSizes } from './scenarios/ingest';
import type { LostUpdatesSizes } from './scenarios/lost-updates';
import type { MemorySizes } from './scenarios/memory';

export const SCENARIOS = ['calls', 'lost-updates', 'ingest', 'end-to-end', 'backfill', 'memory'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Sizes {
  calls: CallsPerEventSizes;
  lostUpdates: LostUpdatesSizes;
  ingest: IngestSizes;
  endToEnd: EndToEndSizes & { lowerRate: number };
  backfill: BackfillSizes;
  memory: MemorySizes & { maxCachedWorkflows: number };
}

/** The sizes the targets are stated for. */
export const FULL_SIZES: Sizes = {
  calls: { steadyConsumers: 5, burstConsumers: 5, burstOrders: 4 },
  lostUpdates: { events: 200, consumers: 50, stores: 3, concurrency: 200 },
  ingest: { requests: 1000, concurrency: 16, warmup: 100 },
  endToEnd: { eventsPerSecond: 20, durationSeconds: 30, lowerRate: 5 },
  backfill: { orders: 2000, consumers: 1000 },
  memory: { orders: 5000, concurrency: 32, maxCachedWorkflows: 1000 },
};

/** A smoke run: every code path, small sizes, figures that mean nothing. */
export const QUICK_SIZES: Sizes = {
  calls: { steadyConsumers: 2, burstConsumers: 1, burstOrders: 3 },
  lostUpdates: { events: 12, consumers: 3, stores: 3, concurrency: 12 },
  ingest: { requests: 20, concurrency: 4, warmup: 5 },
  endToEnd: { eventsPerSecond: 20, durationSeconds: 1, lowerRate: 5 },
  backfill: { orders: 10, consumers: 5 },
  memory: { orders: 20, concurrency: 8, maxCachedWorkflows: 10 },
};

export interface BenchOptions {
  /** The command-line arguments as given, for the report. */
  args: string[];
  runs: number;
  backfillRuns: number;
  quick: boolean;
  scenarios: Scenario[];
  /** Markdown report; null writes none. */
  out: string | null;
  json: string | null;
  /** Results written by an earlier run's --json, to render instead of measuring. */
  reportFrom: string | null;
  logDir: string;
  sizes: Sizes;
}

export const HELP = `Usage: npm run bench -- [options]

Starts a Temporal dev server, the Gorgias and Whiplash emulators, the product's worker and API processes and the
naive baseline, measures them and writes the figures to BENCHMARKS.md. A full run takes about an hour on 2
cores, most of it the three backfill runs.

Options:
  --runs N            runs per measurement, from 1 to 20; figures are medians (default 3, 1 with --quick)
  --backfill-runs N   runs of the backfill, about 14 min each (default: --runs)
  --only LIST         comma-separated subset of: ${SCENARIOS.join(', ')}
  --quick             tiny sizes, to check that everything works; the report goes to stdout unless --out is given
  --out FILE          where the Markdown report goes (default BENCHMARKS.md); - prints it on stdout instead
  --json FILE         also write every run's raw figures as JSON
  --log-dir DIR       logs of the services and the backfill command, appended to (default bench-output)
  --max-cached N      WORKER_MAX_CACHED_WORKFLOWS of the memory run's worker (default 1000, 10 with --quick)
  --report-from FILE  measure nothing: render the report from a file that --json wrote
  -h, --help          show this help
`;

export class UsageError extends Error {}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      'backfill-runs': { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      json: { type: 'string' },
      'report-from': { type: 'string' },
      'max-cached': { type: 'string' },
      'log-dir': { type: 'string', default: 'bench-output' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const runs = count('--runs', values.runs, quick ? 1 : 3);
  const out = values.out ?? (quick ? '-' : 'BENCHMARKS.md');
  return {
    args: argv,
    runs,
    backfillRuns: count('--backfill-runs', values['backfill-runs'], runs),
    quick,
    scenarios: scenarios(values.only),
    out: out === '-' ? null : out,
    json: values.json ?? null,
    reportFrom: values['report-from'] ?? null,
    logDir: values['log-dir'],
    sizes: withMaxCached(quick ? QUICK_SIZES : FULL_SIZES, values['max-cached']),
  };
}

function withMaxCached(sizes: Sizes, value: string | undefined): Sizes {
  if (value === undefined) return sizes;
  const maxCachedWorkflows = Number(value);
  if (!Number.isInteger(maxCachedWorkflows) || maxCachedWorkflows < 2) {
    throw new UsageError(`--max-cached must be a whole number of at least 2, got ${JSON.stringify(value)}`);
  }
  return { ...sizes, memory: { ...sizes.memory, maxCachedWorkflows } };
}

function count(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 20) {
    throw new UsageError(`${option} must be a whole number from 1 to 20, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function scenarios(only: string | undefined): Scenario[] {
  if (only === undefined) return [...SCENARIOS];
  const names = only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (names.length === 0) {
    throw new UsageError(`--only needs at least one of ${SCENARIOS.join(', ')}`);
  }
  if (unknown.length > 0) {
    throw new UsageError(`--only takes names from ${SCENARIOS.join(', ')}; unknown: ${unknown.join(', ')}`);
  }
  return SCENARIOS.filter((name) => names.includes(name));
}
