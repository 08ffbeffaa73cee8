// `npm run setup:widget -- [options]`: creates or updates the Whiplash sidebar widget in Gorgias.
import { parseArgs } from 'node:util';
import { loadEnvFile, parseConfig, type Config } from '../config';
import { createGorgiasClient, GorgiasApiError, GorgiasNetworkError, GorgiasResponseError } from '../gorgias';
import {
  buildWhiplashWidgetTemplate,
  setupWhiplashWidgets,
  WHIPLASH_WIDGET_CONTEXTS,
  type WidgetSetupOutcome,
} from '../gorgias-widget';

const HELP = `Usage: npm run setup:widget -- [options]

Creates the "Whiplash" sidebar widget in Gorgias, once for the ticket page and once for the customer page, so
agents see the customer, the newest shipping address, the orders and the last sync time that the service writes
to customer.data.whiplash. Running it again updates a widget whose template differs and leaves a matching one
alone, so it is safe to run after every deploy. It finds its own widgets by type "custom" and a top-level card
bound to the "whiplash" data key. When a page has more than one of them, it keeps the oldest and lists the
others for you to delete.

Gorgias is reached with the service's settings: GORGIAS_BASE_URL and GORGIAS_USERNAME with GORGIAS_API_KEY (or
GORGIAS_AUTH=oauth with GORGIAS_ACCESS_TOKEN), read from the environment and .env. Without GORGIAS_BASE_URL it
targets the local Gorgias emulator on GORGIAS_EMULATOR_PORT (default 8090), which must be running.

Options:
  --dry-run     read the widgets and print what would be created or updated, and the template; change nothing
  --order N     sidebar position of the widgets, an integer, lower first (default: Gorgias's default for a new
                widget, and the current position for an existing one)
  -h, --help    show this help

Exit code: 0 on success, 1 when Gorgias or the configuration rejects the run, 2 for invalid options.
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean' },
      order: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const order = values.order === undefined ? undefined : Number(values.order);
  if (order !== undefined && (values.order?.trim() === '' || !Number.isSafeInteger(order))) {
    process.stderr.write(`setup-widget: --order must be an integer, got ${JSON.stringify(values.order)}\n`);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;

  loadEnvFile();
  const config = parseConfig();
  process.stdout.write(`${describeTarget(config)}\n`);
  if (dryRun) {
    process.stdout.write('Dry run: no widget is created or updated.\n');
  }

  const client = createGorgiasClient({ baseUrl: config.gorgias.baseUrl, auth: config.gorgias.auth });
  let result;
  try {
    result = await setupWhiplashWidgets(client, { order, dryRun });
  } catch (error) {
    process.stderr.write(`setup-widget: ${explainFailure(error, config)}\n`);
    return 1;
  }

  for (const context of WHIPLASH_WIDGET_CONTEXTS) {
    process.stdout.write(describeOutcome(context, result[context], dryRun));
  }
  if (dryRun) {
    process.stdout.write(`Template:\n${JSON.stringify(buildWhiplashWidgetTemplate(), null, 2)}\n`);
  }
  return 0;
}

function describeTarget(config: Config): string {
  const { gorgias } = config;
  if (gorgias.mode === 'emulator') {
    return `Target: the local Gorgias emulator at ${gorgias.baseUrl}, because GORGIAS_BASE_URL is not set.`;
  }
  return `Target: Gorgias account ${gorgias.account} at ${gorgias.baseUrl}.`;
}

function describeOutcome(context: string, outcome: WidgetSetupOutcome, dryRun: boolean): string {
  const id = outcome.widgetId === null ? '' : ` (widget id ${outcome.widgetId})`;
  const action = dryRun && outcome.action !== 'unchanged' ? `would be ${outcome.action}` : outcome.action;
  const lines = [`${context} widget: ${action}${id}`];

  if (outcome.duplicateIds.length > 0) {
    const ids = outcome.duplicateIds.join(', ');
    lines.push(
      outcome.duplicateIds.length === 1
        ? `  widget ${ids} is another Whiplash widget in this context and was left in place; delete it in Gorgias`
        : `  widgets ${ids} are other Whiplash widgets in this context and were left in place; delete them in Gorgias`,
    );
  }
  if (outcome.deactivated) {
    lines.push('  the widget is deactivated in Gorgias, so the sidebar hides it until someone reactivates it');
  }
  return `${lines.join('\n')}\n`;
}

/** Returns what failed and what to do next, for one error of the setup run. */
function explainFailure(error: unknown, config: Config): string {
  if (error instanceof GorgiasApiError) {
    return `${error.message}. ${adviceForStatus(error)}`;
  }
  if (error instanceof GorgiasNetworkError) {
    if (config.gorgias.mode === 'emulator') {
      return (
        `${error.message}. Start the emulator with npm run emulator:gorgias (or npm start), or set ` +
        'GORGIAS_BASE_URL and credentials to use a Gorgias account.'
      );
    }
    return `${error.message}. Check GORGIAS_BASE_URL and the network connection to Gorgias.`;
  }
  if (error instanceof GorgiasResponseError) {
    return `${error.message}. Gorgias may have changed the widget API; run with --dry-run to see the widgets read.`;
  }
  throw error;
}

function adviceForStatus(error: GorgiasApiError): string {
  switch (error.status) {
    case 401:
      return (
        'Gorgias rejected the credentials: check GORGIAS_USERNAME and GORGIAS_API_KEY, or GORGIAS_ACCESS_TOKEN ' +
        'when GORGIAS_AUTH=oauth.'
      );
    case 403:
      // NOTE: Gorgias documents neither the role nor the OAuth scope the widget endpoints need.
      return (
        'The credentials lack the permission to manage widgets: use the API key of a Gorgias user whose role may ' +
        'manage integrations, such as an admin, or an OAuth token with the integrations write scope (probably ' +
        'integrations:write).'
      );
    case 429: {
      const wait = error.retryAfterMs === null ? 'a minute' : `${Math.ceil(error.retryAfterMs / 1000)} s`;
      return `The Gorgias rate limit is reached: run the command again after ${wait}.`;
    }
    case 400:
    case 422:
      return 'Gorgias rejected the widget the command sent: report this output to the maintainers of this service.';
    default:
      return error.status >= 500
        ? 'Gorgias failed: run the command again later.'
        : 'Fix the cause above and run again.';
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`setup-widget failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
