/**
 * The email_subscriptions table: one row per accepted Subscribe message. At most one row of a
 * signer in a space is live (pending or confirmed); the Subscribe handler keeps it so under
 * lockSubscriber. The address and both link tokens are private: nothing here is served as is.
 */
import type { Queryable } from '../../core/db/transaction.js';

export type SubscriptionStatus = 'pending' | 'confirmed' | 'ended';
export type EndCause = 'replaced' | 'link' | 'signed';

export interface SubscriptionRecord {
  id: string;
  spaceId: string;
  subscriber: string;
  email: string;
  events: string[];
  closingHours: number;
  signedAt: bigint;
  status: SubscriptionStatus;
  confirmToken: string;
  unsubscribeToken: string;
  createdAt: Date;
  confirmedAt: Date | null;
}

const COLUMNS = `id, space_id AS "spaceId", subscriber, email, events, closing_hours AS "closingHours", signed_at::text AS "signedAt",
  status, confirm_token AS "confirmToken", unsubscribe_token AS "unsubscribeToken", created_at AS "createdAt", confirmed_at AS "confirmedAt"`;

type Row = Omit<SubscriptionRecord, 'signedAt'> & { signedAt: string };
const toRecord = (row: Row): SubscriptionRecord => ({ ...row, signedAt: BigInt(row.signedAt) });

export async function findSubscription(db: Queryable, id: string): Promise<SubscriptionRecord | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM email_subscriptions WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findByToken(db: Queryable, kind: 'confirm' | 'unsubscribe', token: string, forUpdate = false): Promise<SubscriptionRecord | null> {
  const column = kind === 'confirm' ? 'confirm_token' : 'unsubscribe_token';
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM email_subscriptions WHERE ${column} = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [token]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The signer's live subscription in a space (pending or confirmed), if any. */
export async function findLiveSubscription(db: Queryable, spaceId: string, subscriber: string): Promise<SubscriptionRecord | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM email_subscriptions WHERE space_id = $1 AND subscriber = $2 AND status <> 'ended'`, [
    spaceId,
    subscriber,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The newest signed timestamp of the signer's Subscribe and Unsubscribe messages in a space (0 if none). */
export async function latestSignedAt(db: Queryable, spaceId: string, subscriber: string): Promise<bigint> {
  const { rows } = await db.query<{ latest: string | null }>(
    `SELECT max(greatest(signed_at, coalesce(ended_signed_at, 0)))::text AS latest FROM email_subscriptions WHERE space_id = $1 AND subscriber = $2`,
    [spaceId, subscriber],
  );
  return BigInt(rows[0]?.latest ?? '0');
}

/** Another signer's subscription of the same address still waiting for its confirmation, created after `since`. */
export async function otherPendingFor(db: Queryable, email: string, subscriber: string, since: Date): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM email_subscriptions WHERE lower(email) = lower($1) AND status = 'pending' AND subscriber <> $2 AND created_at > $3 LIMIT 1`,
    [email, subscriber, since],
  );
  return rows.length > 0;
}

export async function insertSubscription(
  db: Queryable,
  row: Omit<SubscriptionRecord, 'confirmedAt'> & { emailSalt: string; confirmedAt: Date | null },
): Promise<void> {
  await db.query(
    `INSERT INTO email_subscriptions (id, space_id, subscriber, email, email_salt, events, closing_hours, signed_at, status, confirm_token,
       unsubscribe_token, created_at, confirmed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      row.id,
      row.spaceId,
      row.subscriber,
      row.email,
      row.emailSalt,
      row.events,
      row.closingHours,
      row.signedAt.toString(),
      row.status,
      row.confirmToken,
      row.unsubscribeToken,
      row.createdAt,
      row.confirmedAt,
    ],
  );
}

/** Ends a live subscription; false when it had already ended. */
export async function endSubscription(db: Queryable, id: string, cause: EndCause, at: Date, signedAt: bigint | null = null): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE email_subscriptions SET status = 'ended', ended_at = $3, end_cause = $2, ended_signed_at = $4 WHERE id = $1 AND status <> 'ended'`,
    [id, cause, at, signedAt === null ? null : signedAt.toString()],
  );
  return (rowCount ?? 0) > 0;
}

/** pending → confirmed; false when it was not pending. */
export async function confirmSubscription(db: Queryable, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE email_subscriptions SET status = 'confirmed', confirmed_at = $2 WHERE id = $1 AND status = 'pending'`, [id, at]);
  return (rowCount ?? 0) > 0;
}

/** Confirmed subscriptions of a space that asked for an event. */
export async function confirmedSubscriptions(db: Queryable, spaceId: string, event: string): Promise<SubscriptionRecord[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM email_subscriptions WHERE space_id = $1 AND status = 'confirmed' AND $2 = ANY(events)`, [
    spaceId,
    event,
  ]);
  return rows.map(toRecord);
}
