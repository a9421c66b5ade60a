/**
 * Prints the secret a space's generic webhook consumers verify signatures with:
 * HMAC-SHA256(WEBHOOK_SIGNING_SECRET, "govrelay-webhook:" + spaceId), as hex. Give each space's
 * consumer only its own space's secret (docs/api.md#notifications).
 *
 *   WEBHOOK_SIGNING_SECRET=… npx tsx scripts/webhook-secret.ts <spaceId>
 */
import { loadConfigOrExit } from '../core/config.js';
import { spaceWebhookSecret } from '../server/ideation/notifications/webhook-sender.js';

const spaceId = process.argv[2];
const config = loadConfigOrExit(process.env);
if (!spaceId || !config.WEBHOOK_SIGNING_SECRET) {
  console.error('usage: WEBHOOK_SIGNING_SECRET=… npx tsx scripts/webhook-secret.ts <spaceId>');
  process.exit(2);
}
console.log(spaceWebhookSecret(config.WEBHOOK_SIGNING_SECRET, spaceId).toString('hex'));
