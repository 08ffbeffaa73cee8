import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { BenchResults } from '../../bench/report';

const ROOT = path.join(__dirname, '..', '..');

// A smoke run with tiny sizes: it proves every part of the benchmark starts, measures and reports. Its figures
// mean nothing at these sizes and on a busy test machine, so none is asserted.
test('the benchmark runs every measurement and writes its report', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  const out = path.join(dir, 'BENCHMARKS.md');
  const json = path.join(dir, 'results.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out, '--json', json, '--log-dir', path.join(dir, 'logs')],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, stderr);

  const report = readFileSync(out, 'utf8');
  assert.match(report, /^- Command: `npm run bench -- --quick --out \S+ --json \S+ --log-dir \S+`$/m);
  for (const heading of [
    'Gorgias calls per order event',
    'Lost updates',
    'Ingest',
    'End to end',
    'Backfill',
    'Memory',
  ]) {
    assert.match(report, new RegExp(`^## \\d\\. ${heading}$`, 'm'));
  }
  const summaryRows = report.split('\n').filter((line) => /^\| .* \| (n\/a \(quick\)|-) \|$/.test(line));
  assert.equal(summaryRows.length, 8, 'one summary row per target, and one for the lower end-to-end rate');
  assert.doesNotMatch(report, /\| (yes|no) \|$/m, 'a quick run gives no verdict');

  const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  const numbers = [
    results.calls!.product[0]!.steadyCallsPerEvent,
    results.calls!.baseline[0]!.burstCallsPerEvent,
    results.lostUpdates!.product[0]!.callsPerEvent,
    results.ingest![0]!.webhook.perSecond,
    results.ingest![0]!.signalWithStart.p99Ms,
    results.endToEnd![0]!.p99Ms,
    results.backfill![0]!.budgetShare,
    results.memory![0]!.peakRssMb,
  ];
  for (const value of numbers) assert.ok(Number.isFinite(value), `not a number in ${JSON.stringify(results)}`);
  assert.ok(results.memory![0]!.openWorkflows > 0);
});

test('the benchmark rejects an unknown measurement by name', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--only', 'calls,latency'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(
    stderr,
    /--only takes names from calls, lost-updates, ingest, end-to-end, backfill, memory; unknown: latency$/m,
  );
});
