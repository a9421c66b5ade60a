/**
 * The email_deliveries table: the ledger that makes every reminder email go out once. A sender
 * claims the email's key before handing it to SMTP and releases the claim only when SMTP refused
 * it, so a job that runs again (a second instance, a restart, an event enqueued twice after its
 * job was removed) finds the claim and sends nothing.
 */
import type { Queryable } from '../../core/db/transaction.js';

/** True when this caller claimed the key; false when it was claimed (sent) before. */
export async function claimDelivery(db: Queryable, row: { key: string; subscriptionId: string; kind: string; proposalId: string | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO email_deliveries (key, subscription_id, kind, proposal_id, sent_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (key) DO NOTHING`,
    [row.key, row.subscriptionId, row.kind, row.proposalId],
  );
  return (rowCount ?? 0) > 0;
}

/** SMTP did not take the email: the next attempt may claim it again. */
export async function releaseDelivery(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM email_deliveries WHERE key = $1', [key]);
}
