/**
 * The webhook URL guard (url-guard.ts) applied when Space settings are saved, not only at delivery:
 * a URL aimed at loopback, private or metadata addresses is refused with 400 INVALID_SETTINGS and
 * never stored. The same rule as delivery (https only, no credentials, no private address, unless
 * WEBHOOK_ALLOW_PRIVATE_URLS=true). A name that does not resolve now is accepted (it may resolve
 * later); delivery checks again, since DNS answers change.
 */
import { InvalidInputError } from '../../../core/errors.js';
import { PermanentDeliveryError } from './errors.js';
import { assertDeliverableUrl } from './url-guard.js';

/** Checks the webhook URLs of a Space message's settings JSON; other problems are the settings parser's to report. */
export async function assertSavableWebhooks(settingsJson: string, allowPrivate: boolean): Promise<void> {
  let settings: unknown;
  try {
    settings = JSON.parse(settingsJson);
  } catch {
    return;
  }
  const webhooks = typeof settings === 'object' && settings !== null ? (settings as { webhooks?: unknown }).webhooks : undefined;
  if (!Array.isArray(webhooks)) return;
  for (const [index, webhook] of webhooks.entries()) {
    const url = typeof webhook === 'object' && webhook !== null ? (webhook as { url?: unknown }).url : undefined;
    if (typeof url !== 'string') continue;
    try {
      await assertDeliverableUrl(url, allowPrivate);
    } catch (error) {
      if (!(error instanceof PermanentDeliveryError)) continue; // does not resolve now: delivery decides
      throw new InvalidInputError('INVALID_SETTINGS', `invalid space settings: /webhooks/${index}/url: ${error.message}`, {
        details: { path: `/webhooks/${index}/url`, problems: [`/webhooks/${index}/url: ${error.message}`] },
      });
    }
  }
}
