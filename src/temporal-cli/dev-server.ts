import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

export interface DevServerOptions {
  cliPath: string;
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** Web UI port, or null for no UI. */
  uiPort?: number | null;
  ip?: string;
  /** SQLite file for persistent state; in memory when absent. */
  dbFile?: string;
  searchAttributes?: readonly SearchAttributeKey<SearchAttributeType>[];
  /** Extra `--dynamic-config-value KEY=JSON` settings, e.g. a low continue-as-new threshold for tests. */
  dynamicConfig?: Record<string, unknown>;
  /** Codec server URL the UI uses to decode payloads. */
  uiCodecEndpoint?: string;
  /** Receives the server's own output; discarded when absent. */
  onOutput?: (chunk: string) => void;
  startTimeoutMs?: number;
  /**
   * Runs the server in its own process group, so a Ctrl-C in the terminal reaches only this process, which
   * can then stop its workers before the server. The server is still killed when this process exits.
   */
  ownProcessGroup?: boolean;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3_000;

const SEARCH_ATTRIBUTE_TYPE_NAMES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Finds a free TCP port on `ip` by binding port 0. */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  server.listen(0, ip);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function buildArgs(options: DevServerOptions, ip: string, port: number): string[] {
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  if (options.uiPort === null || options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const key of options.searchAttributes ?? []) {
    args.push('--search-attribute', `${key.name}=${SEARCH_ATTRIBUTE_TYPE_NAMES[key.type] ?? key.type}`);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

function isPortOpen(ip: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, ip, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPort(ip: string, port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server start-dev exited with code ${child.exitCode}`);
    if (await isPortOpen(ip, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`temporal server start-dev did not open ${ip}:${port} within ${timeoutMs} ms`);
}

/**
 * Starts `temporal server start-dev` as a child process and resolves once its gRPC port accepts connections.
 * `stop()` sends SIGTERM and waits for the process to exit, sending SIGKILL after a 3 s grace.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port || (await freePort(ip));
  if (await isPortOpen(ip, port)) {
    throw new Error(
      `Port ${port} on ${ip} is already in use, perhaps by another Temporal server; stop it or pick another ` +
        'port (TEMPORAL_ADDRESS for npm start).',
    );
  }
  const child = spawn(options.cliPath, buildArgs(options, ip, port), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const forward = (chunk: Buffer) => options.onOutput?.(chunk.toString());
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    // The server's graceful stop waits for open long polls, which a closed worker connection can leave behind
    // for a minute. SQLite commits are atomic, so killing the server after a short grace loses nothing.
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForPort(ip, port, child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const uiUrl = options.uiPort ? `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${options.uiPort}` : null;
  return { address: `${ip}:${port}`, uiUrl, stop };
}
