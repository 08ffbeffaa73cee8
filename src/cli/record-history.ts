// `npm run record-history -- WORKFLOW_ID... [--out DIR]`: saves workflow histories as binary protobuf files for the
// replay test, which checks that changed workflow code still replays the histories of real runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { temporal } from '@temporalio/proto';
import { loadEnvFile, parseConfig } from '../config';
import { connectClient } from '../temporal-connection';

const HELP = `Usage: npm run record-history -- WORKFLOW_ID... [--out DIR]

Fetches the history of each workflow's latest run from TEMPORAL_ADDRESS and writes it to
DIR/<workflow type>-<workflow id>.pb (binary protobuf) (default DIR: test/fixtures/histories).
`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: 'test/fixtures/histories' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    if (!values.help) process.exitCode = 2;
    return;
  }
  loadEnvFile();
  const client = await connectClient(parseConfig().temporal);
  mkdirSync(values.out!, { recursive: true });
  for (const workflowId of positionals) {
    const handle = client.workflow.getHandle(workflowId);
    const { type } = await handle.describe();
    const file = path.join(values.out!, `${type}-${workflowId}.pb`);
    // Binary protobuf: the SDK's JSON history helpers fail here because npm installs two protobufjs copies.
    writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    process.stdout.write(`${file}\n`);
  }
  await client.connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`record-history failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
