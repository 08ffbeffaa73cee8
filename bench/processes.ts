import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CONFIG_VARIABLES } from '../src/config';
import { freePort } from '../src/temporal-cli/dev-server';
import { sleep } from './pool';

const ROOT = path.resolve(__dirname, '..');

/** A service of the product (API or worker) running as its own Node.js process, as in production. */
export interface ServiceProcess {
  name: string;
  pid: number;
  /** Base URL of its HTTP server (/healthz, /readyz, /metrics, and the webhook on the API). */
  url: string;
  /** Peak resident set size of the process so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  /** Current resident set size (VmRSS), in bytes. */
  rssBytes(): number;
  /** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServiceSpec {
  name: string;
  script: 'src/api/main.ts' | 'src/worker/main.ts';
  /** Configuration variables. Every other one is set empty (see `spawnProjectScript`). */
  env: Record<string, string>;
  /** Appends the process's output here. */
  logFile: string;
}

/**
 * Starts `node --import tsx <script>` with only the given configuration and waits until its /readyz returns 200.
 * The port variable (API_PORT or WORKER_HTTP_PORT) is picked here.
 */
export async function startService(spec: ServiceSpec): Promise<ServiceProcess> {
  const port = await freePort();
  const portVariable = spec.script === 'src/api/main.ts' ? 'API_PORT' : 'WORKER_HTTP_PORT';
  const child = spawnProjectScript(spec.script, [], { ...spec.env, [portVariable]: String(port) }, spec.logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, spec, url);
  const pid = child.pid!;
  return {
    name: spec.name,
    pid,
    url,
    peakRssBytes: () => readStatusKilobytes(pid, 'VmHWM') * 1024,
    rssBytes: () => readStatusKilobytes(pid, 'VmRSS') * 1024,
    stop: (graceMs = 15_000) => stopChild(child, graceMs),
  };
}

/**
 * Runs `node --import tsx <script> <args>` from the project folder and appends its output to `logFile`. Every
 * configuration variable that `env` does not set is set empty, so a developer's `.env` or shell cannot leak in.
 */
export function spawnProjectScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
): ChildProcessByStdio<null, Readable, Readable> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) childEnv[name] = '';
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function waitUntilReady(child: ChildProcess, spec: ServiceSpec, url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${spec.name} exited with code ${child.exitCode} before it was ready; see ${spec.logFile}`);
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error(`${spec.name} was not ready within 120 s; see ${spec.logFile}`);
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Reads a `kB` field of /proc/<pid>/status (Linux). */
function readStatusKilobytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]);
}
