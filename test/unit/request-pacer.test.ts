import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { RequestPacer, rejectOnAbort } from '../../src/http/request-pacer';
import { createWhiplashPacer } from '../../src/whiplash/api-transport';
import { maxInWindow } from '../support/windows';

/** Returns 'resolved', 'rejected' or, when the promise has not settled within 20 ms, 'pending'. */
async function stateOf(promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  const settled = promise.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
  return Promise.race([settled, delay(20, 'pending' as const)]);
}

describe('RequestPacer', () => {
  test('no window holds more than the limit', async () => {
    const pacer = new RequestPacer(3, 200);
    const grantedAt: number[] = [];

    await Promise.all(
      Array.from({ length: 8 }, async () => {
        await pacer.acquire();
        grantedAt.push(performance.now());
      }),
    );

    assert.equal(grantedAt.length, 8);
    // The times are taken just after the pacer's own, so a window 50 ms shorter than the pacer's is checked.
    assert.equal(maxInWindow(grantedAt, 150), 3, `grant times: ${grantedAt.map((t) => t.toFixed(1)).join(', ')}`);
  });

  test('callers are served in FIFO order', async () => {
    const pacer = new RequestPacer(1, 20);
    const order: number[] = [];

    await Promise.all(
      [0, 1, 2, 3].map(async (caller) => {
        await pacer.acquire();
        order.push(caller);
      }),
    );

    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  test('aborted waiter uses no slot', async () => {
    let nowMs = 0;
    const pacer = new RequestPacer(1, 1000, () => nowMs);
    await pacer.acquire();

    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const aborted = pacer.acquire(controller.signal);
    const next = pacer.acquire();
    assert.equal(await stateOf(aborted), 'pending');

    // The first slot expires on the pacer's clock, then the waiter aborts before its timer fires.
    nowMs = 1000;
    controller.abort(reason);

    await assert.rejects(aborted, (err) => err === reason);
    assert.equal(await stateOf(next), 'resolved', 'the caller behind the aborted one got the free slot');
    const later = new AbortController();
    const afterNext = pacer.acquire(later.signal);
    assert.equal(await stateOf(afterNext), 'pending', 'the slot is taken by one caller only');
    later.abort(new Error('cleanup'));
    await assert.rejects(afterNext, /cleanup/);
  });

  test('already aborted signal rejects at once', async () => {
    const pacer = new RequestPacer(1, 60_000, () => 0);
    const reason = new Error('cancelled before the call');

    await assert.rejects(pacer.acquire(AbortSignal.abort(reason)), (err) => err === reason);

    assert.equal(await stateOf(pacer.acquire()), 'resolved', 'the aborted call left the slot free');
  });

  test('invalid limit or window throws a RangeError', () => {
    const cases: [number, number, RegExp][] = [
      [0, 1000, /limit/],
      [1.5, 1000, /limit/],
      [Number.NaN, 1000, /limit/],
      [1, 0, /windowMs/],
      [1, -5, /windowMs/],
      [1, Number.POSITIVE_INFINITY, /windowMs/],
    ];
    for (const [limit, windowMs, pattern] of cases) {
      assert.throws(
        () => new RequestPacer(limit, windowMs),
        (err: unknown) => err instanceof RangeError && pattern.test(err.message),
        `limit ${limit}, windowMs ${windowMs}`,
      );
    }
  });
});

describe('rejectOnAbort', () => {
  test('settles like the promise without an abort', async () => {
    const controller = new AbortController();

    assert.equal(await rejectOnAbort(Promise.resolve(7), controller.signal), 7);
    await assert.rejects(rejectOnAbort(Promise.reject(new Error('inner')), controller.signal), /inner/);
  });

  test('rejects with the reason before the promise settles', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const wrapped = rejectOnAbort(new Promise<never>(() => undefined), controller.signal);

    controller.abort(reason);

    await assert.rejects(wrapped, (err) => err === reason);
  });
});

describe('Whiplash pacer', () => {
  test('window is a second per request plus 50 ms', () => {
    const cases: [number, number, number][] = [
      [8, 8, 1050],
      [10, 10, 1050],
      [2.5, 2, 850],
      [0.5, 1, 2050],
    ];
    for (const [requestsPerSecond, limit, windowMs] of cases) {
      const pacer = createWhiplashPacer(requestsPerSecond);
      assert.equal(pacer.limit, limit, `limit at ${requestsPerSecond} requests per second`);
      assert.equal(pacer.windowMs, windowMs, `window at ${requestsPerSecond} requests per second`);
    }
  });
});
