/**
 * The signed_messages table: the append-only log of every accepted signed message (a database
 * trigger refuses updates and deletes). Its primary key, the message digest, is the replay guard.
 *
 * One insert: insertSignedMessage writes one row (space, proposal, cancel and advance messages, in
 * their handler's transaction); the vote writer's batch statement embeds the same INSERT through
 * insertSignedMessagesSql, with the rows of the batch that were applied (server/votes/vote-writer.ts).
 */
import type { Queryable } from './transaction.js';
import { expandEnvelopes } from './envelope-parts.js';

/**
 * The columns, in the order both inserts give their values. legacy_receipt is never written: it
 * holds the per-message receipt signatures of messages stored before the log existed.
 */
const COLUMNS = 'id, type, "from", space_id, proposal_id, timestamp, envelope, signature, sig_kind, sig_block, received_at';

export interface SignedMessageRow {
  id: string;
  type: string;
  from: string;
  spaceId: string;
  proposalId: string | null;
  /** The signed timestamp (unix seconds). */
  timestamp: bigint;
  /**
   * The envelope exactly as received (as a JSON value). Stored with its domain and types as part ids
   * (core/db/envelope-parts.ts); the readers here put them back.
   */
  envelope: unknown;
  signature: string;
  sigKind: string;
  sigBlock: bigint | null;
  /** A message stored before the log existed: its receipt then, a signature over (id, receivedAt). Null since. */
  legacyReceipt: string | null;
  receivedAt: Date;
}

/**
 * The INSERT of `select`'s rows, whose columns must be, in order: id, type, from, space id, proposal
 * id, timestamp, envelope (jsonb), signature, sig kind, sig block, received at. For the vote
 * writer's data-modifying CTE.
 */
export function insertSignedMessagesSql(select: string): string {
  return `INSERT INTO signed_messages (${COLUMNS})\n  ${select}`;
}

/** Appends one message; a unique violation (23505) means the digest was already stored (a replay). */
export async function insertSignedMessage(db: Queryable, row: Omit<SignedMessageRow, 'legacyReceipt'>): Promise<void> {
  await db.query(`INSERT INTO signed_messages (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
    row.id,
    row.type,
    row.from,
    row.spaceId,
    row.proposalId,
    row.timestamp.toString(),
    JSON.stringify(row.envelope),
    row.signature,
    row.sigKind,
    row.sigBlock === null ? null : row.sigBlock.toString(),
    row.receivedAt,
  ]);
}

/** The cheap replay check before a signature check (the primary key is what guarantees it). */
export async function messageSeen(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM signed_messages WHERE id = $1', [id]);
  return Boolean(rowCount);
}

const SELECT = `SELECT id, type, "from", space_id AS "spaceId", proposal_id AS "proposalId", timestamp::text AS timestamp, envelope,
  signature, sig_kind AS "sigKind", sig_block::text AS "sigBlock", legacy_receipt AS "legacyReceipt", received_at AS "receivedAt" FROM signed_messages`;

type Row = Omit<SignedMessageRow, 'timestamp' | 'sigBlock'> & { timestamp: string; sigBlock: string | null };

async function toRecords(db: Queryable, rows: Row[]): Promise<SignedMessageRow[]> {
  const envelopes = await expandEnvelopes(
    db,
    rows.map((row) => row.envelope),
  );
  return rows.map((row, i) => ({
    ...row,
    envelope: envelopes[i],
    timestamp: BigInt(row.timestamp),
    sigBlock: row.sigBlock === null ? null : BigInt(row.sigBlock),
  }));
}

export async function findSignedMessage(db: Queryable, id: string): Promise<SignedMessageRow | null> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = $1`, [id]);
  return (await toRecords(db, rows))[0] ?? null;
}

/** A proposal's messages in arrival order, keyset-paginated after (receivedAt, id). */
export async function listProposalMessages(
  db: Queryable,
  proposalId: string,
  page: { after: { receivedAt: Date; id: string } | null; limit: number },
): Promise<SignedMessageRow[]> {
  const { rows } = page.after
    ? await db.query<Row>(`${SELECT} WHERE proposal_id = $1 AND (received_at, id) > ($2, $3) ORDER BY received_at, id LIMIT $4`, [
        proposalId,
        page.after.receivedAt,
        page.after.id,
        page.limit,
      ])
    : await db.query<Row>(`${SELECT} WHERE proposal_id = $1 ORDER BY received_at, id LIMIT $2`, [proposalId, page.limit]);
  return toRecords(db, rows);
}
