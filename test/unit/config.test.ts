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

test('numeric variables name the invalid value and the fix', () => {
  const cases: [string, string, RegExp][] = [
    ['GORGIAS_REQUESTS_PER_20S', 'abc', /GORGIAS_REQUESTS_PER_20S: "abc" is not a positive integer\. Set the requests/],
    ['WORKER_HTTP_PORT', 'nope', /WORKER_HTTP_PORT: "nope" is not an integer from 0 to 65535\. Set a TCP port/],
    ['API_PORT', '70000', /API_PORT: "70000" is not an integer from 0 to 65535/],
    ['WHIPLASH_REQUESTS_PER_SECOND', '12', /WHIPLASH_REQUESTS_PER_SECOND: "12" is not a number above 0 and at most 10/],
    ['WIDGET_MAX_ORDERS', '0', /WIDGET_MAX_ORDERS: "0" is not a positive integer\. Set how many orders/],
    ['WEBHOOK_MAX_BODY_BYTES', '1.5', /WEBHOOK_MAX_BODY_BYTES: "1\.5" is not a positive integer/],
  ];
  for (const [name, value, message] of cases) {
    assert.throws(() => parseConfig({ [name]: value }), message, `${name}=${value}`);
  }
});

test('numeric variables parse valid values', () => {
  const config = parseConfig({
    GORGIAS_REQUESTS_PER_20S: '30',
    WORKER_HTTP_PORT: '0',
    API_PORT: ' 8080 ',
    WHIPLASH_REQUESTS_PER_SECOND: '2.5',
    WIDGET_MAX_ORDERS: '5',
  });
  assert.equal(config.gorgias.budgetPer20s, 30);
  assert.equal(config.worker.port, 0);
  assert.equal(config.api.port, 8080);
  assert.equal(config.whiplash.requestsPerSecond, 2.5);
  assert.equal(config.sync.maxWidgetOrders, 5);
});
