// `npm run ops -- <command>`: support tasks by query and signal, the scripted form of what the Temporal UI offers.
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { whiplashClientFor } from '../clients';
import { loadEnvFile, parseConfig, type Config } from '../config';
import { orderWorkflowInput, sendOrderEvent } from '../sync/send-order-event';
import { connectClient } from '../temporal-connection';
import { hashEmail, normalizeEmail } from '../whiplash/email';
import { parseWhiplashOrder } from '../whiplash/parse-order';
import { customerStateQuery, orderStateQuery, orderWorkflowId, retrySyncSignal } from '../../workflows/definitions';
import { SearchAttributes } from '../../workflows/search-attributes';
import { exitQuietlyOnBrokenPipe } from './broken-pipe';

const HELP: Record<string, string> = {
  '': `Usage: npm run ops -- <command> [arguments] [--help]

Commands:
  order ORDER_ID           print one order workflow's state (the orderState query)
  customer EMAIL           print the workflow ids, sync state and orders of one consumer's email
  resync-order ORDER_ID    make an order's workflow send its current state to Gorgias again
  resync-failed            send retrySync to every running workflow whose SyncState is failed

Run a command with --help for its options. Temporal is reached through TEMPORAL_ADDRESS and
TEMPORAL_NAMESPACE, as for the service.
`,
  order: `Usage: npm run ops -- order ORDER_ID

Prints the state of the order workflow whiplash-order-ORDER_ID as JSON: the newest event, the sync state and
error, the Gorgias customer workflow it is attached to, and the applied and ignored event counts. The state
holds the consumer's email and address, so share it only with staff allowed to see them.
`,
  customer: `Usage: npm run ops -- customer EMAIL

Finds every workflow of the consumer by the SHA-256 of the trimmed, lower-cased email (the CustomerEmailHash
search attribute) and prints each workflow id with its type, status, sync state and order number. For a
running customer workflow it also prints the Gorgias customer id and the orders in the widget.
`,
  'resync-order': `Usage: npm run ops -- resync-order ORDER_ID

Sends retrySync to the order workflow whiplash-order-ORDER_ID, which sends its current state to the customer
workflow with a request to write Gorgias even when nothing changed. When that workflow is no longer running,
the order is read from the Whiplash API and sent like a webhook, which starts a new run.
`,
  'resync-failed': `Usage: npm run ops -- resync-failed [--dry-run]

Lists the running workflows with SyncState = 'failed' (the Temporal query
ExecutionStatus = 'Running' AND SyncState = 'failed') and sends each one retrySync. Fix the cause first,
e.g. the Gorgias API key's permissions, or the retries fail the same way.

Options:
  --dry-run   list the workflows without signalling them
`,
};

async function main(): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const [command = '', argument] = positionals;
  if (!(command in HELP)) {
    process.stderr.write(`ops: unknown command ${command}\n${HELP['']}`);
    return 2;
  }
  if (values.help || command === '') {
    process.stdout.write(HELP[command]!);
    return values.help ? 0 : 2;
  }
  if (command !== 'resync-failed' && argument === undefined) {
    process.stderr.write(`ops: ${command} needs an argument\n${HELP[command]}`);
    return 2;
  }

  loadEnvFile();
  const config = parseConfig();
  const client = await connectClient(config.temporal);
  try {
    switch (command) {
      case 'order':
        return await printOrder(client, readOrderId(argument!));
      case 'customer':
        return await printCustomer(client, argument!);
      case 'resync-order':
        return await resyncOrder(client, config, readOrderId(argument!));
      default:
        return await resyncFailed(client, values['dry-run'] === true);
    }
  } finally {
    await client.connection.close();
  }
}

function readOrderId(text: string): number {
  const orderId = Number(text);
  if (!Number.isSafeInteger(orderId) || orderId <= 0) {
    throw new Error(`ORDER_ID must be a Whiplash order id (a positive integer), got ${text}`);
  }
  return orderId;
}

async function printOrder(client: Client, orderId: number): Promise<number> {
  const workflowId = orderWorkflowId(orderId);
  try {
    const state = await client.workflow.getHandle(workflowId).query(orderStateQuery);
    process.stdout.write(`${JSON.stringify({ workflowId, ...state }, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    process.stderr.write(`No workflow ${workflowId}: Temporal has not seen order ${orderId}\n`);
    return 1;
  }
}

async function printCustomer(client: Client, email: string): Promise<number> {
  const emailHash = hashEmail(normalizeEmail(email));
  const executions = client.workflow.list({ query: `CustomerEmailHash = '${emailHash}'` });
  let found = 0;
  for await (const execution of executions) {
    found += 1;
    const attributes = execution.typedSearchAttributes;
    const details = [
      execution.type,
      execution.status.name,
      `sync ${attributes.get(SearchAttributes.syncState) ?? '-'}`,
      attributes.get(SearchAttributes.orderNumber) ?? '',
      attributes.get(SearchAttributes.orderStatus) ?? '',
    ];
    process.stdout.write(`${execution.workflowId}  ${details.filter(Boolean).join('  ')}\n`);
    if (execution.type === 'customerWorkflow' && execution.status.name === 'RUNNING') {
      const state = await client.workflow.getHandle(execution.workflowId).query(customerStateQuery);
      const orders = state.orders.map((order) => `${order.order_number} (${order.status})`).join(', ');
      process.stdout.write(`    Gorgias customer ${state.gorgiasCustomerId ?? '(not found yet)'}; orders: ${orders}\n`);
    }
  }
  if (found === 0) {
    process.stderr.write(`No workflow has CustomerEmailHash ${emailHash}; no order with this email has arrived\n`);
    return 1;
  }
  return 0;
}

async function resyncOrder(client: Client, config: Config, orderId: number): Promise<number> {
  const workflowId = orderWorkflowId(orderId);
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  });
  if (description?.status.name === 'RUNNING') {
    await handle.signal(retrySyncSignal);
    process.stdout.write(`Sent retrySync to ${workflowId}\n`);
    return 0;
  }

  const raw = await whiplashClientFor(config).getOrder(orderId);
  const parsed = parseWhiplashOrder(raw, { eventName: 'order.resync', source: 'backfill' });
  if (!parsed.ok) {
    const reasons = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    process.stderr.write(`Whiplash order ${orderId} cannot be synced: ${reasons}\n`);
    return 1;
  }
  const target = { client, taskQueue: config.temporal.taskQueue, input: orderWorkflowInput(config) };
  await sendOrderEvent(target, parsed.event);
  process.stdout.write(`${workflowId} was not running; sent the order from the Whiplash API, which starts a new run\n`);
  return 0;
}

async function resyncFailed(client: Client, dryRun: boolean): Promise<number> {
  const query = `ExecutionStatus = 'Running' AND SyncState = 'failed'`;
  let count = 0;
  for await (const execution of client.workflow.list({ query })) {
    count += 1;
    if (!dryRun) await client.workflow.getHandle(execution.workflowId).signal(retrySyncSignal);
    process.stdout.write(`${dryRun ? 'would signal' : 'signalled'}  ${execution.workflowId}\n`);
  }
  process.stdout.write(`${count} workflow${count === 1 ? '' : 's'} with SyncState = 'failed'\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ops failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
