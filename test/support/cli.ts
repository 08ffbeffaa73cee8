import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { DEFAULT_WHIPLASH_CREDENTIALS } from '../../src/emulators/whiplash';
import type { Stack } from './stack';

const ROOT = path.join(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Builds the environment a command needs to work on the stack: its Temporal server, task queues and emulators. */
export function stackEnv(stack: Stack, dataDir: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.server.address,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    TEMPORAL_GORGIAS_TASK_QUEUE: stack.input.customer.gorgiasTaskQueue,
    GORGIAS_ACCOUNT: stack.input.gorgiasAccount,
    ORDER_SETTLE_PERIOD: `${stack.input.settlePeriodMs}ms`,
    CUSTOMER_DEBOUNCE_WINDOW: `${stack.input.customer.debounceWindowMs}ms`,
    CUSTOMER_IDLE_TIMEOUT: `${stack.input.customer.idleTimeoutMs}ms`,
    WHIPLASH_BASE_URL: stack.whiplash.url,
    WHIPLASH_ACCESS_TOKEN: DEFAULT_WHIPLASH_CREDENTIALS.accessToken,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
}

/**
 * Runs one of the project's commands (`src/cli/<name>.ts`) in its own process and collects its output.
 * `onStarted` gets the child process, e.g. to interrupt it.
 */
export async function runCli(
  name: string,
  args: string[],
  env: Record<string, string>,
  onStarted?: (child: import('node:child_process').ChildProcess) => void,
): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onStarted?.(child);
  // 'close' comes after the output streams end, unlike 'exit'.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
