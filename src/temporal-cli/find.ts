import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The Temporal CLI module and tag that `go install` builds; newer tags carry a `replace` directive it rejects. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goBinDir(): string | null {
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return path.join(gopath.trim().split(path.delimiter)[0]!, 'bin');
  } catch {
    return null;
  }
}

/** Returns whether the Go toolchain is on PATH. */
export function hasGo(): boolean {
  return goBinDir() !== null;
}

/**
 * Finds the `temporal` CLI: `explicitPath` (from TEMPORAL_CLI_PATH) first, then every directory on `searchPath`
 * (the process's PATH), then `$(go env GOPATH)/bin` and `~/go/bin`. Returns null when none has it.
 */
export function findTemporalCli(explicitPath: string | undefined, searchPath: string | undefined): string | null {
  if (explicitPath !== undefined) {
    if (!isExecutable(explicitPath)) {
      throw new Error(`TEMPORAL_CLI_PATH is ${explicitPath}, which is not an executable file; fix or unset it.`);
    }
    return explicitPath;
  }
  const candidates = [
    ...(searchPath ?? '').split(path.delimiter).filter(Boolean),
    goBinDir(),
    path.join(homedir(), 'go', 'bin'),
  ].filter((dir): dir is string => dir !== null);
  for (const dir of candidates) {
    const file = path.join(dir, 'temporal');
    if (isExecutable(file)) return file;
  }
  return null;
}

/**
 * Finds the `temporal` CLI, or builds it with `go install` when Go is present (about 3 minutes the first
 * time). Throws an error that explains what to do when neither works.
 */
export function ensureTemporalCli(explicitPath: string | undefined, searchPath: string | undefined): string {
  const found = findTemporalCli(explicitPath, searchPath);
  if (found !== null) return found;
  if (!hasGo()) {
    throw new Error(
      'The Temporal CLI (`temporal`) was not found on PATH, in TEMPORAL_CLI_PATH or in $(go env GOPATH)/bin, ' +
        'and Go is not installed to build it. Install Go 1.25 or newer and run `npm run temporal:install`, ' +
        'or install the CLI from https://docs.temporal.io/cli and set TEMPORAL_CLI_PATH to it.',
    );
  }
  process.stderr.write(`Building the Temporal CLI: go install ${TEMPORAL_CLI_MODULE} (takes a few minutes once)\n`);
  execFileSync('go', ['install', TEMPORAL_CLI_MODULE], { stdio: 'inherit' });
  const installed = findTemporalCli(undefined, searchPath);
  if (installed === null) {
    throw new Error(`go install ${TEMPORAL_CLI_MODULE} finished, but no temporal binary is in $(go env GOPATH)/bin.`);
  }
  return installed;
}
