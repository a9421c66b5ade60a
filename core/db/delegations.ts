/**
 * The delegations table: every accepted Delegate and Undelegate message (written by
 * server/delegations/delegation-handler.ts with its signed message, in one transaction). History is
 * kept so a proposal reads delegation as of its snapshot; a signer's current delegation in a scope
 * (a space id, or "" for every space) is its latest row.
 */
import type { Queryable } from './transaction.js';

export interface DelegateShare {
  address: string;
  bps: number;
}

export interface DelegationRow {
  messageId: string;
  delegator: string;
  /** Space id, or "" for every space. */
  spaceId: string;
  kind: 'delegate' | 'undelegate';
  delegates: DelegateShare[];
  expiry: bigint | null;
  timestamp: bigint;
  receivedAt: Date;
}

type Row = Omit<DelegationRow, 'expiry' | 'timestamp'> & { expiry: string | null; timestamp: string };

const COLUMNS = `message_id AS "messageId", delegator, space_id AS "spaceId", kind, delegates, expiry::text AS expiry,
  timestamp::text AS timestamp, received_at AS "receivedAt"`;

function toRecord(row: Row): DelegationRow {
  return { ...row, expiry: row.expiry === null ? null : BigInt(row.expiry), timestamp: BigInt(row.timestamp) };
}

export async function insertDelegation(db: Queryable, row: DelegationRow): Promise<void> {
  await db.query(
    `INSERT INTO delegations (message_id, delegator, space_id, kind, delegates, expiry, timestamp, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      row.messageId,
      row.delegator,
      row.spaceId,
      row.kind,
      JSON.stringify(row.delegates),
      row.expiry === null ? null : row.expiry.toString(),
      row.timestamp.toString(),
      row.receivedAt,
    ],
  );
}

/** The signer's latest message in a scope (a writing transaction takes core/db/locks.ts lockDelegationScope first). */
export async function latestDelegation(db: Queryable, delegator: string, spaceId: string): Promise<DelegationRow | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM delegations WHERE delegator = $1 AND space_id = $2 ORDER BY timestamp DESC, message_id DESC LIMIT 1`,
    [delegator, spaceId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * The latest message of every signer in the space's scope and the global scope, as of a snapshot:
 * signed at or before `asOf` (unix seconds) and received by `receivedBy` (a message signed before
 * the snapshot but posted after the proposal existed must not change its power). At most two rows
 * per signer (space and global); which one counts is decided by the caller.
 */
export async function delegationsAsOf(db: Queryable, spaceId: string, asOf: bigint, receivedBy: Date): Promise<DelegationRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT DISTINCT ON (delegator, space_id) ${COLUMNS}
       FROM delegations
      WHERE space_id IN ($1, '') AND timestamp <= $2 AND received_at <= $3
      ORDER BY delegator, space_id, timestamp DESC, message_id DESC`,
    [spaceId, asOf.toString(), receivedBy],
  );
  return rows.map(toRecord);
}

/** A signer's latest message in every scope (their current delegations, undelegations included). */
export async function currentDelegationsOf(db: Queryable, delegator: string): Promise<DelegationRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT DISTINCT ON (space_id) ${COLUMNS} FROM delegations WHERE delegator = $1 ORDER BY space_id, timestamp DESC, message_id DESC`,
    [delegator],
  );
  return rows.map(toRecord);
}

/** When each of these addresses was first named a delegate in the space or globally (participation counts from there). */
export async function firstDelegatedAt(db: Queryable, spaceId: string, delegates: readonly string[]): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ delegate: string; first: Date }>(
    `SELECT d.address AS delegate, min(l.received_at) AS first
       FROM delegations l
       CROSS JOIN LATERAL jsonb_to_recordset(l.delegates) AS d(address text, bps int)
      WHERE l.space_id IN ($1, '') AND l.kind = 'delegate' AND d.address = ANY($2::text[])
      GROUP BY d.address`,
    [spaceId, delegates],
  );
  return new Map(rows.map((row) => [row.delegate, row.first]));
}
