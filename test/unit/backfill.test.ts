import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createCheckpointWriter, loadCheckpoint } from '../../src/backfill/checkpoint';
import { describe as describeProgress } from '../../src/backfill/progress';
import { runBackfill, type BackfillCounts, type RejectedOrder } from '../../src/backfill/run-backfill';
import { fileOrderSource, type OrderSource, type SourceCursor } from '../../src/backfill/sources';
import type { OrderEvent } from '../../src/domain/order-event';
import { loadFixture } from '../support/webhook';

/** `count` valid orders with ids 1..count, built from a fixture. */
function orders(count: number): Record<string, unknown>[] {
  const base = loadFixture<{ order: Record<string, unknown> }>('order_created_us_basic.webhook.json').order;
  return Array.from({ length: count }, (_, index) => ({ ...base, id: index + 1 }));
}

function writeTemporary(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'backfill-')), name);
  writeFileSync(file, text);
  return file;
}

/** Creates a source over an in-memory list, with line cursors like a file source. */
function listSource(items: unknown[]): OrderSource {
  return {
    description: 'list',
    total: () => Promise.resolve(items.length),
    async *orders(cursor) {
      const skip = cursor !== null && 'line' in cursor ? cursor.line : 0;
      for (const [index, order] of items.entries()) {
        if (index + 1 > skip) yield { order, cursor: { line: index + 1 } };
      }
    },
  };
}

describe('runBackfill', () => {
  test('sends, skips unchanged and rejects with reasons', async () => {
    const items: unknown[] = [...orders(3), { id: 99, email: null }, 'not json'];
    const report = await runBackfill({
      source: listSource(items),
      deliver: (event: OrderEvent) => Promise.resolve(event.orderId === 2 ? 'unchanged' : 'sent'),
      eventSource: 'backfill',
      concurrency: 2,
    });

    assert.equal(report.sent, 2);
    assert.equal(report.unchanged, 1);
    assert.equal(report.rejected, 2);
    assert.equal(report.interrupted, false);
    assert.equal(report.rejectedOrders[0]?.orderId, 99);
    assert.match(report.rejectedOrders[0]!.reason, /order\.email: email is missing/);
    assert.equal(report.rejectedOrders[1]?.orderId, null);
  });

  test('labels events with their source', async () => {
    const sources: string[] = [];
    await runBackfill({
      source: listSource(orders(1)),
      deliver: (event) => {
        sources.push(`${event.source} ${event.eventName}`);
        return Promise.resolve('sent');
      },
      eventSource: 'reconcile',
      concurrency: 1,
    });
    assert.deepEqual(sources, ['reconcile order.reconcile']);
  });

  test('resumes after a failure without skipping an order', async () => {
    const items = orders(40);
    const delivered: number[] = [];
    let saved: { cursor: SourceCursor; counts: BackfillCounts; rejected: RejectedOrder[] } | null = null;
    let calls = 0;
    const failing = async (event: OrderEvent) => {
      calls += 1;
      // Orders finish out of order, and the 17th call fails as an unreachable Temporal would.
      await new Promise((resolve) => setTimeout(resolve, (event.orderId * 7) % 5));
      if (calls === 17) throw new Error('Temporal is unreachable');
      delivered.push(event.orderId);
      return 'sent' as const;
    };

    await assert.rejects(
      runBackfill({
        source: listSource(items),
        deliver: failing,
        eventSource: 'backfill',
        concurrency: 4,
        onCheckpoint: (checkpoint) => (saved = structuredClone(checkpoint)),
      }),
      /Temporal is unreachable/,
    );
    assert.ok(saved !== null, 'a checkpoint was saved before the failure');
    const resumeFrom = saved as { cursor: SourceCursor; counts: BackfillCounts; rejected: RejectedOrder[] };
    const firstRun = new Set(delivered);

    const report = await runBackfill({
      source: listSource(items),
      deliver: (event) => {
        delivered.push(event.orderId);
        return Promise.resolve('sent');
      },
      eventSource: 'backfill',
      concurrency: 4,
      resumeFrom,
    });

    const all = new Set(delivered);
    assert.deepEqual(
      [...all].sort((a, b) => a - b),
      items.map((order) => order.id),
      'every order was delivered at least once',
    );
    const repeated = delivered.length - all.size;
    assert.ok(repeated <= 4, `at most the orders in flight are repeated, got ${repeated}`);
    assert.ok(firstRun.size > 0);
    assert.equal(report.sent, 40, 'the report counts each order once');
  });

  test('stops pulling orders when aborted', async () => {
    const abort = new AbortController();
    let delivered = 0;
    const report = await runBackfill({
      source: listSource(orders(50)),
      deliver: () => {
        delivered += 1;
        if (delivered === 5) abort.abort();
        return Promise.resolve('sent');
      },
      eventSource: 'backfill',
      concurrency: 1,
      signal: abort.signal,
    });
    assert.equal(report.interrupted, true);
    assert.equal(report.sent, 5);
  });
});

describe('fileOrderSource', () => {
  async function collect(source: OrderSource, cursor: SourceCursor | null = null) {
    const items = [];
    for await (const item of source.orders(cursor)) items.push(item);
    return items;
  }

  test('reads a JSON array and unwraps webhook bodies', async () => {
    const [first, second] = orders(2);
    const file = writeTemporary('orders.json', JSON.stringify([first, { event_name: 'order.shipped', order: second }]));
    const items = await collect(fileOrderSource(file));

    assert.deepEqual(
      items.map((item) => (item.order as { id: number }).id),
      [1, 2],
    );
    assert.equal(await fileOrderSource(file).total(), 2);
  });

  test('reads NDJSON, keeps bad lines and resumes after a line', async () => {
    const [first, second] = orders(2);
    const file = writeTemporary('orders.ndjson', `${JSON.stringify(first)}\n\nnot json\n${JSON.stringify(second)}\n`);
    const items = await collect(fileOrderSource(file));

    assert.deepEqual(
      items.map((item) => item.cursor),
      [{ line: 1 }, { line: 3 }, { line: 4 }],
    );
    assert.equal(items[1]?.order, 'not json');
    const resumed = await collect(fileOrderSource(file), { line: 3 });
    assert.deepEqual(
      resumed.map((item) => (item.order as { id: number }).id),
      [2],
    );
  });

  test('reads one pretty-printed order', async () => {
    const file = writeTemporary('order.json', JSON.stringify(orders(1)[0], null, 2));
    assert.equal((await collect(fileOrderSource(file))).length, 1);
  });
});

describe('checkpoint', () => {
  test('round-trips and rejects a checkpoint of another source', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'checkpoint-')), 'state.json');
    const writer = createCheckpointWriter(file);
    writer.update({
      source: 'file a',
      cursor: { line: 7 },
      counts: { sent: 7, unchanged: 0, rejected: 0 },
      rejected: [],
    });
    writer.flush();

    assert.deepEqual(loadCheckpoint(file, 'file a')?.cursor, { line: 7 });
    assert.throws(() => loadCheckpoint(file, 'file b'), /belongs to another backfill \(file a\); pass --restart/);
    writer.remove();
    assert.equal(loadCheckpoint(file, 'file a'), null);
  });

  test('names the file when it is not JSON', () => {
    const file = writeTemporary('broken.json', '{');
    assert.throws(() => loadCheckpoint(file, 'x'), new RegExp(`${file.replaceAll('/', '\\/')} is not valid JSON`));
    assert.equal(readFileSync(file, 'utf8'), '{');
  });
});

// A fixed clock, so the rate and ETA do not depend on how long a line takes to run.
const NOW = Date.UTC(2026, 11, 4);

describe('progress line', () => {
  test('shows done of total, rate and ETA', () => {
    const line = describeProgress({ done: 50, total: 200, sent: 40, unchanged: 9, rejected: 1 }, NOW - 10_000, 0, NOW);
    assert.match(line, /^\[######------------------\] 50\/200 25% {2}5\.0\/s {2}ETA 30s/);
    assert.match(line, /sent 40, unchanged 9, rejected 1/);
  });
});

describe('progress ETA', () => {
  test('never shows 60 seconds', () => {
    // 119.5 s remaining at 1 order per second.
    const line = describeProgress(
      { done: 10, total: 129.5, sent: 10, unchanged: 0, rejected: 0 },
      NOW - 10_000,
      0,
      NOW,
    );
    assert.match(line, /ETA 2m00s/);
  });
});
