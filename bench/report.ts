import type { BenchOptions } from './options';
import type { BackfillResult } from './scenarios/backfill';
import type { CallsPerEventResult } from './scenarios/calls-per-event';
import type { EndToEndResult } from './scenarios/end-to-end';
import type { IngestResult } from './scenarios/ingest';
import { REMOTE_GORGIAS, type LostUpdatesResult } from './scenarios/lost-updates';
import type { MemoryResult } from './scenarios/memory';
import { median, ratio } from './stats';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
}

interface SideBySide<T> {
  product: T[];
  baseline: T[];
}

/** Every run's figures, as `--json` writes them. */
export interface BenchResults {
  startedAt: string;
  seconds?: number;
  /** Commands whose runs were merged into these results by hand, e.g. a memory run with another cache size. */
  mergedFrom?: string[];
  machine: MachineInfo;
  options: BenchOptions;
  calls?: SideBySide<CallsPerEventResult>;
  lostUpdates?: SideBySide<LostUpdatesResult>;
  ingest?: IngestResult[];
  endToEnd?: EndToEndResult[];
  backfill?: BackfillResult[];
  memory?: MemoryResult[];
}

interface Row {
  measure: string;
  product: string;
  baseline: string;
  target: string;
  /** Null where no target applies. */
  met: boolean | null;
}

/** Renders the results as BENCHMARKS.md. */
export function renderReport(results: BenchResults): string {
  const { machine, options } = results;
  const rows: Row[] = [];
  const sections: string[] = [];
  const command = `npm run bench${options.args.length > 0 ? ` -- ${options.args.join(' ')}` : ''}`;

  if (results.calls) callsSection(results.calls, rows, sections);
  if (results.lostUpdates) lostUpdatesSection(results.lostUpdates, rows, sections);
  if (results.ingest) ingestSection(results.ingest, options, rows, sections);
  if (results.endToEnd) endToEndSection(results.endToEnd, options, rows, sections);
  if (results.backfill) backfillSection(results.backfill, rows, sections);
  if (results.memory) memorySection(results.memory, rows, sections);

  const summary = [
    '| Measure | Product | Baseline | Target | Met |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.measure} | ${row.product} | ${row.baseline} | ${row.target} | ${verdict(row.met, options.quick)} |`,
    ),
  ];
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (see `bench/`). It starts a Temporal dev server, the Gorgias and Whiplash',
    'emulators, the worker and the API as their own processes (`src/worker/main.ts`, `src/api/main.ts`), and the',
    'naive baseline in `bench/baseline/`: an Express handler that, per webhook, finds or creates the Gorgias',
    'customer, reads the data blob, merges the order and writes the blob back, without Temporal.',
    'Figures are medians of the runs listed under each measure.',
    '',
    `- Command: \`${command}\``,
    `- Started: ${results.startedAt}; took ${formatSeconds(results.seconds ?? NaN)}`,
    ...(results.mergedFrom ?? []).map((command) => `- Also measured with \`${command}\` and merged in`),
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.os}`,
    `- Software: Node.js ${machine.node}, ${machine.temporalCli.split('\n')[0]} (dev server, in-memory SQLite)`,
    '- Everything runs on this one machine, so the load generator, the emulators, the Temporal server, the worker',
    '  and the API share its cores.',
    '',
    '## Summary',
    '',
    ...summary,
    '',
    ...sections,
  ].join('\n');
}

function callsSection(calls: SideBySide<CallsPerEventResult>, rows: Row[], sections: string[]): void {
  const steady = median(calls.product.map((run) => run.steadyCallsPerEvent));
  const steadyBaseline = median(calls.baseline.map((run) => run.steadyCallsPerEvent));
  const burst = median(calls.product.map((run) => run.burstCallsPerEvent));
  const burstBaseline = median(calls.baseline.map((run) => run.burstCallsPerEvent));
  const first = calls.product[0];
  rows.push(
    {
      measure: 'Gorgias calls per event, steady',
      product: fixed(steady),
      baseline: `${fixed(steadyBaseline)} (${times(ratio(steadyBaseline, steady))} more)`,
      target: '≤ 1, and 3× fewer than the baseline',
      met: steady <= 1 && ratio(steadyBaseline, steady) >= 3,
    },
    {
      measure: 'Gorgias calls per event, burst',
      product: fixed(burst),
      baseline: `${fixed(burstBaseline)} (${times(ratio(burstBaseline, burst))} more)`,
      target: '≤ 0.35, and 3× fewer than the baseline',
      met: burst <= 0.35 && ratio(burstBaseline, burst) >= 3,
    },
  );
  sections.push(
    '## 1. Gorgias calls per order event',
    '',
    `Steady: ${first?.steadyEvents ?? 0} status changes, one at a time, for consumers whose Gorgias customer the`,
    'implementation has seen before; each waits until the previous one is in Gorgias. Burst: every order of a',
    `consumer changes status at once (${first?.burstEvents ?? 0} events). The product runs with its default`,
    'coalescing window (`CUSTOMER_DEBOUNCE_WINDOW=2s`). Calls are every request the Gorgias emulator handled.',
    'The product writes only the data blob for a known customer, because its customer workflow keeps the',
    "customer's id and orders. The baseline looks the customer up and writes: two calls, because the emulator's",
    'customer list includes `data`. Where Gorgias leaves `data` out of list results, it needs a third call.',
    '',
    '| Run | Product steady | Baseline steady | Product burst | Baseline burst | Burst updates lost, product | Burst updates lost, baseline |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...calls.product.map((run, index) => {
      const base = calls.baseline[index];
      return `| ${index + 1} | ${fixed(run.steadyCallsPerEvent)} | ${fixed(base?.steadyCallsPerEvent)} | ${fixed(run.burstCallsPerEvent)} | ${fixed(base?.burstCallsPerEvent)} | ${run.burstLostUpdates} | ${base?.burstLostUpdates ?? '-'} |`;
    }),
    '',
  );
}

function lostUpdatesSection(lost: SideBySide<LostUpdatesResult>, rows: Row[], sections: string[]): void {
  const missing = median(lost.product.map((run) => run.missingOrders));
  const duplicates = median(lost.product.map((run) => run.duplicateCustomers));
  const baselineMissing = median(lost.baseline.map((run) => run.missingOrders));
  const baselineDuplicates = median(lost.baseline.map((run) => run.duplicateCustomers));
  const first = lost.product[0];
  const worst = Math.max(...lost.product.map((run) => run.missingOrders + run.duplicateCustomers + run.staleOrders));
  rows.push({
    measure: `Orders lost / duplicate customers, ${first?.events ?? 0} concurrent events`,
    product: `${missing} / ${duplicates}`,
    baseline: `${baselineMissing} / ${baselineDuplicates}`,
    target: '0 / 0 in every run',
    met: worst === 0,
  });
  sections.push(
    '## 2. Lost updates',
    '',
    `${first?.events ?? 0} new orders, several per consumer and spread over three stores, are posted at once. Then`,
    "each consumer's final widget is read from the emulator. The emulator's rate limit is off here, so every loss",
    'comes from concurrent writers, not from 429s. The emulator acts like a remote Gorgias: each call takes',
    `${REMOTE_GORGIAS.latencyMs} to ${REMOTE_GORGIAS.latencyMs + REMOTE_GORGIAS.latencyJitterMs} ms, and a data write becomes visible ${REMOTE_GORGIAS.dataApplyDelayMs} ms after its 202 (assumed figures).`,
    '',
    '| Run | Product missing | Product duplicates | Product calls per event | Baseline missing | Baseline duplicates | Baseline failed webhooks | Baseline calls per event |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lost.product.map((run, index) => {
      const base = lost.baseline[index];
      return `| ${index + 1} | ${run.missingOrders} | ${run.duplicateCustomers} | ${fixed(run.callsPerEvent)} | ${base?.missingOrders ?? '-'} | ${base?.duplicateCustomers ?? '-'} | ${base?.failedWebhooks ?? '-'} | ${fixed(base?.callsPerEvent)} |`;
    }),
    '',
  );
}

function ingestSection(ingest: IngestResult[], options: BenchOptions, rows: Row[], sections: string[]): void {
  const webhook = median(ingest.map((run) => run.webhook.perSecond));
  const bare = median(ingest.map((run) => run.signalWithStart.perSecond));
  const share = median(ingest.map((run) => ratio(run.webhook.perSecond, run.signalWithStart.perSecond)));
  rows.push({
    measure: 'Ingest, accepted webhooks per second',
    product: `${webhook.toFixed(0)}/s, ${percent(share)} of bare (p99 ${median(ingest.map((run) => run.webhook.p99Ms)).toFixed(0)} ms)`,
    baseline: `bare signalWithStart ${bare.toFixed(0)}/s`,
    target: '≥ 80 % of bare signalWithStart',
    met: share >= 0.8,
  });
  const sizes = options.sizes.ingest;
  sections.push(
    '## 3. Ingest',
    '',
    `${sizes.requests} requests per run at a concurrency of ${sizes.concurrency}, after ${sizes.warmup} unmeasured ones. Each`,
    'webhook is a new order, so it starts a workflow. The ceiling is a loop calling `signalWithStart` with the',
    'same parsed events from the benchmark process, on the same server. No worker polls either task queue, so',
    'the figures are the path into Temporal alone. The API is one Node.js process. The share is the median of',
    "each run's webhook rate over the loop's rate in the same run, because the load on the machine can change between runs.",
    '',
    '| Run | Webhook per s | Webhook p50 ms | Webhook p99 ms | signalWithStart per s | p50 ms | p99 ms | Webhook share | Failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...ingest.map(
      (run, index) =>
        `| ${index + 1} | ${run.webhook.perSecond.toFixed(0)} | ${run.webhook.p50Ms.toFixed(1)} | ${run.webhook.p99Ms.toFixed(1)} | ${run.signalWithStart.perSecond.toFixed(0)} | ${run.signalWithStart.p50Ms.toFixed(1)} | ${run.signalWithStart.p99Ms.toFixed(1)} | ${percent(ratio(run.webhook.perSecond, run.signalWithStart.perSecond))} | ${run.webhook.failed + run.signalWithStart.failed} |`,
    ),
    '',
  );
}

function endToEndSection(runs: EndToEndResult[], options: BenchOptions, rows: Row[], sections: string[]): void {
  const sizes = options.sizes.endToEnd;
  const atRate = (rate: number) => runs.filter((run) => run.eventsPerSecond === rate);
  for (const rate of [sizes.eventsPerSecond, sizes.lowerRate]) {
    const p99 = median(atRate(rate).map((run) => run.p99Ms));
    const missing = atRate(rate).reduce((sum, run) => sum + run.missing, 0);
    rows.push({
      measure: `End to end at ${rate} events/s, webhook to data in Gorgias`,
      product: `p50 ${median(atRate(rate).map((run) => run.p50Ms)).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`,
      baseline: '-',
      target: rate === sizes.eventsPerSecond ? 'p99 < 1 s' : 'none (shown for comparison)',
      met: rate === sizes.eventsPerSecond ? p99 < 1000 && missing === 0 : null,
    });
  }
  sections.push(
    '## 4. End to end',
    '',
    `Webhooks at ${sizes.eventsPerSecond} per second (the target) and at ${sizes.lowerRate} per second, for ${sizes.durationSeconds} s each run, sent on a fixed`,
    'schedule that does not wait for responses. Orders are created, then step through Printed, Packed and Label Purchased;',
    'two orders per consumer. The coalescing window is 0 (`CUSTOMER_DEBOUNCE_WINDOW=0ms`) and the rate limits',
    'are off. Latency runs from the start of the webhook request to the emulator storing a data blob that holds',
    "the update, so it includes the webhook's own response time. New orders cost more than status changes: a new",
    'order starts its order workflow, and for a new consumer also a customer workflow and a look-up and create in',
    'Gorgias. At the higher rate the Temporal dev server, the worker and the load generator compete for the',
    "machine's cores, and the new-order phase at the start of each run is where the tail comes from.",
    '',
    '| Run | Events per s | Events | p50 ms | p99 ms | p99 new orders | p99 status changes | Max ms | Webhook response p99 ms | Not seen in Gorgias |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (run, index) =>
        `| ${runs.slice(0, index + 1).filter((other) => other.eventsPerSecond === run.eventsPerSecond).length} | ${run.eventsPerSecond} | ${run.events} | ${run.p50Ms.toFixed(0)} | ${run.p99Ms.toFixed(0)} | ${run.newOrderP99Ms.toFixed(0)} | ${run.statusChangeP99Ms.toFixed(0)} | ${run.maxMs.toFixed(0)} | ${run.acceptP99Ms.toFixed(0)} | ${run.missing} |`,
    ),
    '',
  );
}

function backfillSection(runs: BackfillResult[], rows: Row[], sections: string[]): void {
  const share = median(runs.map((run) => run.budgetShare));
  const limitedShare = median(runs.map((run) => ratio(run.rateLimited, run.calls)));
  const lost = runs.reduce((sum, run) => sum + run.missingOrders + run.duplicateCustomers, 0);
  const first = runs[0];
  rows.push({
    measure: `Backfill of ${first?.orders ?? 0} orders at 80 requests per 20 s`,
    product: `${percent(share)} of the budget, ${percent(limitedShare, 2)} 429s`,
    baseline: '-',
    target: '≥ 90 % of the budget, < 1 % 429s',
    met: share >= 0.9 && limitedShare < 0.01 && lost === 0,
  });
  sections.push(
    '## 5. Backfill',
    '',
    `\`npm run backfill\` lists ${first?.orders ?? 0} generated orders of ${first?.consumers ?? 0} consumers from the Whiplash emulator and`,
    "sends them. The Gorgias emulator enforces an OAuth app's leaky bucket (80 requests, draining 4 per second),",
    "and the worker runs with `GORGIAS_REQUESTS_PER_20S=80`. Time runs from the command's start until the last",
    'order is in Gorgias. The minimum is what the bucket allows for three calls per consumer (look-up, create,',
    'data write) after its first 80. The worker paces its own requests to 80 in any 20.25 s, so the share of the',
    "budget it can reach is about 99 %, less the time the last consumers' writes wait for their coalescing window.",
    '',
    '| Run | Calls | Time | Minimum | Calls per s | Share of budget | 429s | Before Retry-After | Orders missing |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (run, index) =>
        `| ${index + 1} | ${run.calls} | ${formatSeconds(run.seconds)} | ${formatSeconds(run.minimumSeconds)} | ${run.callsPerSecond.toFixed(2)} | ${percent(run.budgetShare)} | ${run.rateLimited} | ${run.beforeRetryAfter} | ${run.missingOrders} |`,
    ),
    '',
  );
}

function memorySection(runs: MemoryResult[], rows: Row[], sections: string[]): void {
  const first = runs[0];
  const lowest = Math.min(...runs.map((run) => run.peakRssMb));
  rows.push({
    measure: `Worker peak RSS, ${first?.openWorkflows ?? 0} open workflows`,
    product: runs
      .map((run) => `${run.peakRssMb.toFixed(0)} MB (cache ${run.maxCachedWorkflows ?? 'default'})`)
      .join(', '),
    baseline: '-',
    target: '< 600 MB',
    met: lowest < 600,
  });
  sections.push(
    '## 6. Memory',
    '',
    `${first?.orders ?? 0} new orders (two per consumer) open as many order workflows and half as many customer`,
    'workflows on one worker process, whose sticky cache holds at most `WORKER_MAX_CACHED_WORKFLOWS`',
    "workflows. Peak RSS is the process's VmHWM once every order is in Gorgias. Idle RSS is read when the",
    'worker is ready, after it has bundled the workflow code with webpack in its own process. Each row is one',
    'run with its own worker, as a run takes minutes; `--max-cached` sets the cache of the run.',
    '',
    '| Run | Cached workflows | Orders | Open workflows | Idle RSS MB | Peak RSS MB | Final RSS MB | Time |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (run, index) =>
        `| ${index + 1} | ${run.maxCachedWorkflows ?? 'default'} | ${run.orders} | ${run.openWorkflows} | ${run.idleRssMb.toFixed(0)} | ${run.peakRssMb.toFixed(0)} | ${run.finalRssMb.toFixed(0)} | ${formatSeconds(run.seconds)} |`,
    ),
    '',
  );
}

// Quick sizes are far below the ones the targets are stated for, so a quick run gives no verdict.
function verdict(met: boolean | null, quick: boolean): string {
  if (met === null) return '-';
  if (quick) return 'n/a (quick)';
  return met ? 'yes' : 'no';
}

function fixed(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(2);
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}×` : '-';
}

function percent(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : '-';
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
