/** The delegate_statements table: each delegate's current profile per space (the DelegateStatement handler writes it). */
import type { Queryable } from './transaction.js';

export interface DelegateStatementRow {
  spaceId: string;
  delegate: string;
  messageId: string;
  statement: string;
  links: string[];
  timestamp: bigint;
  updatedAt: Date;
}

type Row = Omit<DelegateStatementRow, 'timestamp'> & { timestamp: string };

const COLUMNS = `space_id AS "spaceId", delegate, message_id AS "messageId", statement, links, timestamp::text AS timestamp, updated_at AS "updatedAt"`;

function toRecord(row: Row): DelegateStatementRow {
  return { ...row, timestamp: BigInt(row.timestamp) };
}

/** The current statement, locked for the transaction (the handler compares timestamps under it). */
export async function findDelegateStatement(db: Queryable, spaceId: string, delegate: string, forUpdate = false): Promise<DelegateStatementRow | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM delegate_statements WHERE space_id = $1 AND delegate = $2${forUpdate ? ' FOR UPDATE' : ''}`, [
    spaceId,
    delegate,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Writes the statement unless a newer one is stored; false when it was stale (a concurrent newer one won). */
export async function upsertDelegateStatement(db: Queryable, row: DelegateStatementRow): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO delegate_statements (space_id, delegate, message_id, statement, links, timestamp, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (space_id, delegate) DO UPDATE
       SET message_id = EXCLUDED.message_id, statement = EXCLUDED.statement, links = EXCLUDED.links,
           timestamp = EXCLUDED.timestamp, updated_at = EXCLUDED.updated_at
       WHERE delegate_statements.timestamp < EXCLUDED.timestamp`,
    [row.spaceId, row.delegate, row.messageId, row.statement, JSON.stringify(row.links), row.timestamp.toString(), row.updatedAt],
  );
  return rowCount === 1;
}

export async function findDelegateStatements(db: Queryable, spaceId: string, delegates: readonly string[]): Promise<Map<string, DelegateStatementRow>> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM delegate_statements WHERE space_id = $1 AND delegate = ANY($2::text[])`, [spaceId, delegates]);
  return new Map(rows.map((row) => [row.delegate, toRecord(row)]));
}
