// `npm run post-fixture -- FILE... [--url URL] [--event NAME]`: signs Whiplash payload files with the
// configured webhook key and posts them to the webhook endpoint, as Whiplash would.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEV_WEBHOOK_SECRET, loadEnvFile, parseConfig } from '../config';
import { signWhiplashBody } from '../whiplash/signature';

const HELP = `Usage: npm run post-fixture -- FILE... [options]

Signs each file with the first key in WHIPLASH_WEBHOOK_SECRETS (or the development key that npm start uses)
and posts it to the webhook endpoint. A file holding a webhook body ({"event_name", "order"}) is posted as it
is; a bare order object, or an array of them as GET /api/v2/orders returns, is wrapped in a webhook body.

Options:
  --url URL      webhook endpoint (default http://127.0.0.1:<API_PORT>/webhooks/whiplash)
  --event NAME   event_name used when wrapping bare orders (default order.created)
  -h, --help     show this help
`;

/** Turns one file's JSON into the webhook bodies to post. */
function webhookBodies(json: unknown, eventName: string): unknown[] {
  if (Array.isArray(json)) return json.map((order) => ({ event_name: eventName, order }));
  if (json !== null && typeof json === 'object' && 'event_name' in json) return [json];
  return [{ event_name: eventName, order: json }];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      event: { type: 'string', default: 'order.created' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    if (positionals.length === 0 && !values.help) process.exitCode = 2;
    return;
  }
  loadEnvFile();
  const config = parseConfig();
  const secret = config.api.webhookSecrets[0] ?? DEV_WEBHOOK_SECRET;
  const url = values.url ?? `http://127.0.0.1:${config.api.port}/webhooks/whiplash`;

  for (const file of positionals) {
    for (const body of webhookBodies(JSON.parse(readFileSync(file, 'utf8')), values.event!)) {
      const raw = JSON.stringify(body);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-whiplash-signature': signWhiplashBody(raw, secret) },
        body: raw,
      });
      process.stdout.write(`${file}: ${response.status} ${await response.text()}\n`);
      if (!response.ok) process.exitCode = 1;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`post-fixture failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
