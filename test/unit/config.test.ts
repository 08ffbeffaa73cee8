import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseConfig } from '../../src/config';

describe('WORKER_MAX_CACHED_WORKFLOWS', () => {
  test('unset or empty leaves the SDK default', () => {
    assert.equal(parseConfig({}).worker.maxCachedWorkflows, undefined);
    assert.equal(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '' }).worker.maxCachedWorkflows, undefined);
    assert.equal(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '  ' }).worker.maxCachedWorkflows, undefined);
  });

  test('positive integer is parsed', () => {
    assert.equal(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).worker.maxCachedWorkflows, 500);
    assert.equal(parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: ' 1 ' }).worker.maxCachedWorkflows, 1);
  });

  test('invalid value names the variable and the fix', () => {
    for (const value of ['abc', '0', '-3', '1.5', '1e3', '12 workflows', '99999999999999999999']) {
      assert.throws(
        () => parseConfig({ WORKER_MAX_CACHED_WORKFLOWS: value }),
        (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.match(err.message, /WORKER_MAX_CACHED_WORKFLOWS: /);
          assert.ok(err.message.includes(`"${value}" is not a positive integer`), err.message);
          assert.match(err.message, /leave it empty for the Temporal SDK default/);
          return true;
        },
        `value ${JSON.stringify(value)}`,
      );
    }
  });
});
