import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
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
  /** Configuration variables; every other one is set empty, so a developer's `.env` or shell cannot leak in. */
  env: Record<string, string>;
  /** Appends the process's output here. */
  logFile: string;
}

/**
 * Starts `node --import tsx <script>` with only the given configuration and waits until its /readyz says ready.
 * The port variable (API_PORT or WORKER_HTTP_PORT) is picked here.
 */
export async function startService(spec: ServiceSpec): Promise<ServiceProcess> {
  const port = await freePort();
  const portVariable = spec.script === 'src/api/main.ts' ? 'API_PORT' : 'WORKER_HTTP_PORT';
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARIABLES) env[name] = '';
  Object.assign(env, spec.env, { [portVariable]: String(port) });

  const log = createWriteStream(spec.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', spec.script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
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
