import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { startDevServer, type RunningDevServer } from '../../src/temporal-cli/dev-server';
import { ensureTemporalCli } from '../../src/temporal-cli/find';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { runCli } from '../support/cli';

describe('npm run setup:temporal', () => {
  let server: RunningDevServer;
  let client: Client;
  let env: Record<string, string>;

  before(async () => {
    // A server without the search attributes, as a fresh cluster would be.
    server = await startDevServer({ cliPath: ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH) });
    client = new Client({ connection: await Connection.connect({ address: server.address }) });
    env = { TEMPORAL_ADDRESS: server.address, LOG_LEVEL: 'warn' };
  });
  after(async () => {
    await client?.connection.close();
    await server?.stop();
  });

  test('registers every search attribute once', async () => {
    const first = await runCli('setup-temporal', [], env);
    assert.equal(first.code, 0, first.stderr);
    for (const key of ALL_SEARCH_ATTRIBUTES) assert.match(first.stdout, new RegExp(`^${key.name} +registered$`, 'm'));

    const listed = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of ALL_SEARCH_ATTRIBUTES) {
      assert.equal(
        listed.customAttributes?.[key.name],
        temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      );
    }

    const second = await runCli('setup-temporal', [], env);
    assert.equal(second.code, 0, second.stderr);
    for (const key of ALL_SEARCH_ATTRIBUTES) assert.match(second.stdout, new RegExp(`^${key.name} +present$`, 'm'));
  });

  test('names an attribute registered with another type', async () => {
    const namespace = 'mismatch';
    await client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { SyncState: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
    });

    const result = await runCli('setup-temporal', [], { ...env, TEMPORAL_NAMESPACE: namespace });

    assert.equal(result.code, 1);
    assert.match(result.stderr, /SyncState exists on namespace mismatch with type INDEXED_VALUE_TYPE_TEXT/);
  });

  test('a closed port fails after --wait with the address', async () => {
    const result = await runCli('setup-temporal', ['--wait', '1s'], { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' });

    assert.equal(result.code, 1);
    assert.match(result.stderr, /Could not connect to Temporal at 127\.0\.0\.1:1/);
  });
});
