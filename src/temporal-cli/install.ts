// Finds or builds the Temporal CLI and prints its path: `npm run temporal:install`.
import { ensureTemporalCli } from './find';

try {
  process.stdout.write(`${ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined, process.env.PATH)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
