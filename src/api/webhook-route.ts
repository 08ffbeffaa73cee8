import type { Request, Response } from 'express';
import type { Logger } from '../logger';
import type { ApiMetrics } from '../observability/metrics';
import { verifyWhiplashSignature } from '../whiplash/signature';
import { parseWebhookBody } from '../whiplash/webhook-body';
import { sendOrderEvent, type OrderEventTarget } from '../sync/send-order-event';

export const WEBHOOK_PATH = '/webhooks/whiplash';
export const SIGNATURE_HEADER = 'x-whiplash-signature';

/** Seconds Whiplash is asked to wait before redelivering when Temporal cannot be reached. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

export interface WebhookRouteOptions {
  target: OrderEventTarget;
  /** Signing keys accepted at once, so a key can be rotated without dropping deliveries. */
  webhookSecrets: readonly string[];
  metrics: ApiMetrics;
  /**
   * How long to wait for Temporal to store an event before responding with 503.
   * @default 5000
   */
  temporalTimeoutMs?: number;
}

/** A request whose body `express.raw` read, and whose logger carries the request id. */
type WebhookRequest = Request & { body: unknown; log?: Logger };

/**
 * Handles `POST /webhooks/whiplash`: verify the signature over the raw bytes, check the content type, parse
 * the JSON and the order, then signal-with-start the order workflow. It responds 202 only once Temporal has
 * stored the event, and a 4xx that names the header or field for anything it rejects.
 */
export function createWebhookHandler(options: WebhookRouteOptions) {
  const { metrics } = options;
  const temporalTimeoutMs = options.temporalTimeoutMs ?? 5000;
  return async (req: WebhookRequest, res: Response): Promise<void> => {
    const log = req.log!;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

    const signature = verifyWhiplashSignature(raw, req.get(SIGNATURE_HEADER), options.webhookSecrets);
    if (!signature.ok) {
      log.warn({ reason: signature.reason }, 'Rejected webhook: signature check failed');
      metrics.signatureFailures.inc({ reason: signature.reason });
      metrics.webhookDeliveries.inc({ outcome: 'unauthorized' });
      res.status(401).json({ error: signatureMessage(signature.reason), header: 'X-WHIPLASH-SIGNATURE' });
      return;
    }

    if (!req.is('application/json')) {
      const received = req.get('content-type')?.slice(0, 200) ?? null;
      metrics.webhookDeliveries.inc({ outcome: 'unsupported_media_type' });
      res.status(415).json({ error: 'Content-Type must be application/json', header: 'Content-Type', received });
      return;
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      metrics.webhookDeliveries.inc({ outcome: 'malformed_json' });
      res.status(400).json({ error: `The body is not valid JSON: ${(error as Error).message}` });
      return;
    }

    const parsed = parseWebhookBody(json);
    if (parsed.kind === 'invalid') {
      log.warn({ fields: parsed.issues.map((issue) => issue.path) }, 'Rejected webhook: not a usable order');
      metrics.webhookDeliveries.inc({ outcome: 'invalid_order' });
      res.status(422).json({ error: 'The payload is not a usable Whiplash order', issues: parsed.issues });
      return;
    }
    if (parsed.kind === 'ignored') {
      log.info({ eventName: parsed.eventName.slice(0, 100) }, 'Ignored webhook event');
      metrics.webhookDeliveries.inc({ outcome: 'ignored' });
      res.status(200).json({ status: 'ignored', eventName: parsed.eventName, reason: parsed.reason });
      return;
    }

    const event = parsed.event;
    try {
      const deadline = Date.now() + temporalTimeoutMs;
      const workflowId = await options.target.client.withDeadline(deadline, () =>
        sendOrderEvent(options.target, event),
      );
      metrics.webhookDeliveries.inc({ outcome: 'accepted' });
      log.info({ workflowId, eventName: event.eventName, status: event.status.code }, 'Accepted webhook event');
      res.status(202).json({ status: 'accepted', workflowId });
    } catch (error) {
      log.error({ err: error, orderId: event.orderId }, 'Could not deliver the event to Temporal');
      metrics.webhookDeliveries.inc({ outcome: 'temporal_unavailable' });
      res
        .status(503)
        .set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .json({ error: 'The workflow service is unavailable; retry later' });
    }
  };
}

function signatureMessage(reason: string): string {
  switch (reason) {
    case 'missing-header':
      return 'The X-WHIPLASH-SIGNATURE header is missing; Whiplash signs every webhook with it';
    case 'malformed-header':
      return 'The X-WHIPLASH-SIGNATURE header is not a 64-character hex HMAC-SHA256';
    case 'no-keys':
      return 'No webhook signing key is configured (WHIPLASH_WEBHOOK_SECRETS), so no signature can be verified';
    default:
      return 'The X-WHIPLASH-SIGNATURE header does not match the body; check the configured signing key';
  }
}
