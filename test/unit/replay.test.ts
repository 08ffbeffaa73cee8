import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../src/worker/create-workers';

const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');

test('workflow code replays recorded histories', { timeout: 120_000 }, async () => {
  const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.pb'));
  assert.ok(files.length >= 2, 'record order and customer workflow histories with npm run record-history');
  const histories = files.map((file) => ({
    // The file name is `<workflow type>-<workflow id>.pb`; replay needs the real id.
    workflowId: file.replace(/\.pb$/, '').replace(/^[a-zA-Z]+Workflow-/, ''),
    history: temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES, file))),
  }));

  const results = Worker.runReplayHistories({ workflowBundle: await bundleWorkflows() }, histories);

  let replayed = 0;
  for await (const result of results) {
    assert.equal(result.error, undefined, `${result.workflowId} no longer replays: ${String(result.error)}`);
    replayed++;
  }
  assert.equal(replayed, files.length);
});
