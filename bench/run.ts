// `npm run bench`: measures the product against the naive baseline on this machine and writes BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_AUTH } from '../src/config';
import { createGorgiasClient } from '../src/gorgias';
import { listen, stopHttpServer } from '../src/http-server';
import { createBaselineApp } from './baseline/app';
import { startEnvironment, startProduct, type BenchEnvironment, type Product } from './environment';
import { BENCH_WEBHOOK_SECRET } from './orders';
import { HELP, parseBenchOptions, type BenchOptions } from './options';
import { renderReport, type BenchResults, type MachineInfo } from './report';
import { measureBackfill } from './scenarios/backfill';
import { measureCallsPerEvent } from './scenarios/calls-per-event';
import { measureEndToEnd } from './scenarios/end-to-end';
import { measureIngest } from './scenarios/ingest';
import { measureLostUpdates } from './scenarios/lost-updates';
import { measureMemory } from './scenarios/memory';
import type { SyncTarget } from './scenarios/shared';
import { WidgetWatch } from './widget-watch';

// The budget of the worker wherever the Gorgias budget is not what is measured, so that pacing does not hide
// the cost being measured.
const UNPACED_BUDGET_PER_20S = 100_000;

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\nSee npm run bench -- --help\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }

  if (options.reportFrom) {
    writeReport(JSON.parse(readFileSync(options.reportFrom, 'utf8')) as BenchResults, options.out);
    return;
  }

  const startedAt = new Date();
  progress(`logs in ${options.logDir}; scenarios: ${options.scenarios.join(', ')}; runs: ${options.runs}`);
  const bench = await startEnvironment(options.logDir);
  const results: BenchResults = { startedAt: startedAt.toISOString(), machine: machineInfo(bench), options };
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await measureAll(bench, options, results, cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => progress(`stopping a part failed: ${String(error)}`));
    }
    await bench.stop();
  }

  results.seconds = (Date.now() - startedAt.getTime()) / 1000;
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results, options.out);
}

function writeReport(results: BenchResults, out: string | null): void {
  const report = renderReport(results);
  if (out) {
    writeFileSync(out, report);
    progress(`wrote ${out}`);
  } else {
    process.stdout.write(report);
  }
}

async function measureAll(
  bench: BenchEnvironment,
  options: BenchOptions,
  results: BenchResults,
  cleanups: (() => Promise<void>)[],
): Promise<void> {
  const { sizes, scenarios } = options;
  const watch = new WidgetWatch(bench.gorgias);
  cleanups.push(async () => watch.close());
  const started = async (product: Promise<Product>) => {
    const running = await product;
    cleanups.push(() => running.stop());
    return running;
  };

  // Timing-sensitive measurements come first: later ones count calls and bytes, which a busy machine does not change.
  if (scenarios.includes('ingest')) {
    const apiOnly = await started(
      startProduct(bench, { name: 'ingest', gorgiasBudgetPer20s: UNPACED_BUDGET_PER_20S, withoutWorker: true }),
    );
    for (let run = 1; run <= options.runs; run++) {
      const result = await measureIngest(
        apiOnly.webhookUrl,
        bench.client,
        `${apiOnly.taskQueue}-bare`,
        sizes.ingest,
        `i${run}`,
      );
      (results.ingest ??= []).push(result);
      progress(
        `ingest run ${run}: webhook ${result.webhook.perSecond.toFixed(0)}/s, ` +
          `signalWithStart ${result.signalWithStart.perSecond.toFixed(0)}/s`,
      );
    }
    await apiOnly.stop();
  }

  if (scenarios.includes('calls') || scenarios.includes('lost-updates') || scenarios.includes('end-to-end')) {
    const baselineServer = await listen(
      createBaselineApp({
        gorgias: createGorgiasClient({ baseUrl: bench.gorgias.url, auth: EMULATOR_AUTH }),
        webhookSecret: BENCH_WEBHOOK_SECRET,
        maxWidgetOrders: 20,
      }),
      0,
      '127.0.0.1',
    );
    cleanups.push(() => stopHttpServer(baselineServer.server, 1000));
    const product = await started(startProduct(bench, { name: 'sync', gorgiasBudgetPer20s: UNPACED_BUDGET_PER_20S }));
    const targets: SyncTarget[] = [
      { kind: 'product', webhookUrl: product.webhookUrl },
      { kind: 'baseline', webhookUrl: `http://127.0.0.1:${baselineServer.port}/webhooks/whiplash` },
    ];

    if (scenarios.includes('end-to-end')) {
      const fastApi = await started(
        startProduct(bench, {
          name: 'sync-no-debounce',
          gorgiasBudgetPer20s: UNPACED_BUDGET_PER_20S,
          debounceWindow: '0ms',
          taskQueue: product.taskQueue,
          withoutWorker: true,
        }),
      );
      // The target rate first, then a lower one that shows the latency of a machine that is not saturated.
      const { lowerRate, ...endToEnd } = sizes.endToEnd;
      for (const eventsPerSecond of [endToEnd.eventsPerSecond, lowerRate]) {
        for (let run = 1; run <= options.runs; run++) {
          const result = await measureEndToEnd(
            fastApi.webhookUrl,
            watch,
            { ...endToEnd, eventsPerSecond },
            `e${eventsPerSecond}r${run}`,
          );
          (results.endToEnd ??= []).push(result);
          progress(
            `end-to-end run ${run} at ${eventsPerSecond}/s: p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms ` +
              `(new orders ${result.newOrderP99Ms.toFixed(0)} ms, status changes ${result.statusChangeP99Ms.toFixed(0)} ms)`,
          );
        }
      }
    }
    // Each run measures the product, then the baseline, on fresh consumers.
    const sideBySide = async <T>(
      scenario: 'calls' | 'lost-updates',
      measure: (target: SyncTarget, tag: string) => Promise<T>,
      describe: (result: T) => string,
    ): Promise<{ product: T[]; baseline: T[] } | undefined> => {
      if (!scenarios.includes(scenario)) return undefined;
      const collected: { product: T[]; baseline: T[] } = { product: [], baseline: [] };
      for (let run = 1; run <= options.runs; run++) {
        for (const target of targets) {
          const result = await measure(target, `${scenario[0]}${run}${target.kind[0]}`);
          collected[target.kind].push(result);
          progress(`${scenario} run ${run} ${target.kind}: ${describe(result)}`);
        }
      }
      return collected;
    };
    results.calls = await sideBySide(
      'calls',
      (target, tag) => measureCallsPerEvent(target, bench.gorgias, watch, sizes.calls, tag),
      (result) =>
        `steady ${result.steadyCallsPerEvent.toFixed(2)}, burst ${result.burstCallsPerEvent.toFixed(2)} per event`,
    );
    results.lostUpdates = await sideBySide(
      'lost-updates',
      (target, tag) => measureLostUpdates(target, bench.gorgias, watch, sizes.lostUpdates, tag),
      (result) =>
        `missing ${result.missingOrders}, duplicate customers ${result.duplicateCustomers}, ` +
        `failed webhooks ${result.failedWebhooks}`,
    );
    await product.stop();
  }

  if (scenarios.includes('backfill')) {
    const product = await started(startProduct(bench, { name: 'backfill', gorgiasBudgetPer20s: 80 }));
    for (let run = 1; run <= options.backfillRuns; run++) {
      progress(`backfill run ${run}: ${sizes.backfill.orders} orders for ${sizes.backfill.consumers} consumers`);
      const logFile = path.join(options.logDir, 'backfill-command.log');
      const result = await measureBackfill(product, bench.gorgias, watch, sizes.backfill, `b${run}`, logFile);
      (results.backfill ??= []).push(result);
      progress(
        `backfill run ${run}: ${result.calls} calls in ${result.seconds.toFixed(0)} s ` +
          `(${(result.budgetShare * 100).toFixed(1)} % of the budget), ${result.rateLimited} answered 429`,
      );
    }
    await product.stop();
  }

  if (scenarios.includes('memory')) {
    const { maxCachedWorkflows, ...memorySizes } = sizes.memory;
    const product = await started(
      startProduct(bench, { name: 'memory', gorgiasBudgetPer20s: UNPACED_BUDGET_PER_20S, maxCachedWorkflows }),
    );
    progress(`memory: ${memorySizes.orders} orders`);
    const result = await measureMemory(product, bench.client, watch, memorySizes, 'm1');
    results.memory = [result];
    progress(`memory: peak RSS ${result.peakRssMb.toFixed(0)} MB with ${result.openWorkflows} open workflows`);
    await product.stop();
  }
}

function machineInfo(bench: BenchEnvironment): MachineInfo {
  let temporalCli = 'unknown';
  try {
    temporalCli = execFileSync(bench.cliPath, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // The version is only for the report.
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    temporalCli,
  };
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
