/**
 * Generic webhooks: the event as JSON, POSTed with an HMAC-SHA256 signature.
 *
 *   X-Govrelay-Event:      proposal.transition | proposal.execution
 *   X-Govrelay-Delivery:   the event id (the same on every retry: deduplicate on it)
 *   X-Govrelay-Timestamp:  unix seconds of this attempt
 *   X-Govrelay-Signature:  sha256=<hex HMAC-SHA256(spaceSecret, timestamp + "." + rawBody)>
 *
 * The timestamp is inside the signature, so a receiver can refuse old replays. Each space has its
 * own secret, derived from WEBHOOK_SIGNING_SECRET (scripts/webhook-secret.ts prints it), so the
 * consumer of one space cannot forge deliveries to another's.
 */
import { createHmac } from 'node:crypto';
import { PermanentDeliveryError, RetryAfterError } from './errors.js';
import { assertDeliverableUrl } from './url-guard.js';

export function spaceWebhookSecret(masterSecret: string, spaceId: string): Buffer {
  return createHmac('sha256', masterSecret).update(`govrelay-webhook:${spaceId}`).digest();
}

export function webhookSignature(secret: Buffer, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookDelivery {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  secret: Buffer;
  allowPrivate: boolean;
  timeoutMs?: number;
}

export async function postWebhook(delivery: WebhookDelivery): Promise<void> {
  const url = await assertDeliverableUrl(delivery.url, delivery.allowPrivate);
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'govrelay-webhooks/1',
        'x-govrelay-event': delivery.eventType,
        'x-govrelay-delivery': delivery.eventId,
        'x-govrelay-timestamp': String(timestamp),
        'x-govrelay-signature': webhookSignature(delivery.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      signal: AbortSignal.timeout(delivery.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`webhook request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    throw new RetryAfterError(Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 5000, 'webhook answered 429');
  }
  if (response.status === 408 || response.status >= 500) throw new Error(`webhook answered ${response.status}`);
  throw new PermanentDeliveryError(`webhook answered ${response.status}`);
}
