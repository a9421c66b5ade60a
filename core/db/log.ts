/**
 * The log tables, written together by one append (core/log/append.ts) in the transaction that stores
 * the messages: log_leaves (one row per message, in commit order), log_nodes (the hash of every
 * perfect subtree above the leaves) and log_tree_heads (one signed head per append). All three are
 * append-only (database triggers).
 *
 * The frontier read and the append are also SQL-level prepared statements, so the vote writer can
 * run them inside its own simple-protocol transaction (server/votes/vote-writer.ts).
 */
import { logAppendLockSql } from './locks.js';
import type { Queryable } from './transaction.js';
import type { NodeId } from '../log/merkle.js';

export interface TreeHeadRow {
  treeSize: number;
  rootHash: Buffer;
  /** Unix ms. */
  timestamp: number;
  signature: string;
}

export interface LeafRow {
  index: number;
  messageId: string;
  signatureHash: Buffer;
  leafHash: Buffer;
  receivedAt: Date;
}

/** What an append needs to know, read under the append lock: the latest head and its peaks' hashes. */
export interface LogFrontier {
  size: number;
  /** The latest head's timestamp (0 for an empty log): a new head is never earlier. */
  timestamp: number;
  /** The hashes of the perfect subtrees that make up the tree (the binary digits of its size), by "level:index". */
  peaks: Map<string, Buffer>;
}

/**
 * The latest head and the hash of each of its peaks (level h where bit h of the size is set, index
 * size >> h minus one), each one key probe. No row: the log is empty.
 */
const LOG_FRONTIER_SQL = `WITH h AS (SELECT tree_size, timestamp FROM log_tree_heads ORDER BY tree_size DESC LIMIT 1),
p AS (SELECT g AS level, (h.tree_size >> g) - 1 AS idx FROM h, generate_series(0, 62) g WHERE ((h.tree_size >> g) & 1::bigint) = 1)
SELECT h.tree_size::text AS size, h.timestamp::text AS ts, p.level, p.idx::text AS idx,
       CASE WHEN p.level = 0 THEN (SELECT l.leaf_hash FROM log_leaves l WHERE l.idx = p.idx)
            ELSE (SELECT n.hash FROM log_nodes n WHERE n.level = p.level AND n.idx = p.idx) END AS hash
  FROM h LEFT JOIN p ON true`;

/** The append lock, then the frontier: two statements of one simple-protocol query (no parameters). */
const LOCK_AND_READ_FRONTIER_SQL = `SELECT ${logAppendLockSql()}; ${LOG_FRONTIER_SQL}`;

interface FrontierRow {
  size: string;
  ts: string;
  level: number | null;
  idx: string | null;
  hash: Buffer | null;
}

export function parseFrontier(rows: readonly FrontierRow[]): LogFrontier {
  const peaks = new Map<string, Buffer>();
  if (rows.length === 0) return { size: 0, timestamp: 0, peaks };
  for (const row of rows) {
    if (row.level === null) continue;
    if (!row.hash) throw new Error(`log: peak ${row.level}:${row.idx} of the tree of ${row.size} is not stored`);
    peaks.set(`${row.level}:${row.idx}`, row.hash);
  }
  return { size: Number(rows[0]!.size), timestamp: Number(rows[0]!.ts), peaks };
}

/** Takes the append lock and reads the frontier (one round trip); the lock is held until COMMIT. */
export async function lockAndReadFrontier(client: Queryable): Promise<LogFrontier> {
  const results = (await client.query(LOCK_AND_READ_FRONTIER_SQL)) as unknown as { rows: FrontierRow[] }[];
  return parseFrontier(results[1]!.rows);
}

/**
 * One append as one JSON document: leaves [index, messageId, signatureHash hex, leafHash hex,
 * receivedAt ISO], nodes [level, index, hash hex], head [treeSize, rootHash hex, timestamp ms, signature].
 */
export interface LogAppendRows {
  leaves: { index: number; messageId: string; signatureHash: Buffer; leafHash: Buffer; receivedAt: Date }[];
  nodes: { level: number; index: number; hash: Buffer }[];
  head: TreeHeadRow;
}

export function logAppendDocument(rows: LogAppendRows): string {
  const hex = (b: Buffer) => JSON.stringify(b.toString('hex'));
  const leaves = rows.leaves.map(
    (l) => `[${l.index},${JSON.stringify(l.messageId)},${hex(l.signatureHash)},${hex(l.leafHash)},"${l.receivedAt.toISOString()}"]`,
  );
  const nodes = rows.nodes.map((n) => `[${n.level},${n.index},${hex(n.hash)}]`);
  const h = rows.head;
  return `{"leaves":[${leaves.join(',')}],"nodes":[${nodes.join(',')}],"head":[${h.treeSize},${hex(h.rootHash)},${h.timestamp},${JSON.stringify(h.signature)}]}`;
}

/** The INSERT of an append document, given as $1. */
const INSERT_LOG_APPEND_SQL = `WITH d AS (SELECT $1::jsonb AS doc),
leaves AS (
  INSERT INTO log_leaves (idx, message_id, signature_hash, leaf_hash, received_at)
  SELECT (e->>0)::bigint, e->>1, decode(e->>2, 'hex'), decode(e->>3, 'hex'), (e->>4)::timestamptz FROM d, jsonb_array_elements(d.doc->'leaves') e
),
nodes AS (
  INSERT INTO log_nodes (level, idx, hash)
  SELECT (e->>0)::int, (e->>1)::bigint, decode(e->>2, 'hex') FROM d, jsonb_array_elements(d.doc->'nodes') e
)
INSERT INTO log_tree_heads (tree_size, root_hash, timestamp, signature)
SELECT (d.doc->'head'->>0)::bigint, decode(d.doc->'head'->>1, 'hex'), (d.doc->'head'->>2)::bigint, d.doc->'head'->>3 FROM d`;

/**
 * The frontier read and the append as SQL-level prepared statements, for a writer that appends on
 * every group commit (server/votes/vote-writer.ts): parsed and planned once per connection instead
 * of in every transaction, where planning them was a fixed cost of each group commit, the larger
 * share of PostgreSQL's CPU per vote when groups are small. Their generic plans probe by key
 * whatever the tables' size (test/server/cached-plans.test.ts).
 */
export const PREPARE_LOG_STATEMENTS_SQL = `PREPARE govrelay_log_frontier AS ${LOG_FRONTIER_SQL}; PREPARE govrelay_log_append(jsonb) AS ${INSERT_LOG_APPEND_SQL}`;

/** LOCK_AND_READ_FRONTIER_SQL through the prepared frontier read (PREPARE_LOG_STATEMENTS_SQL). */
export const LOCK_AND_EXECUTE_FRONTIER_SQL = `SELECT ${logAppendLockSql()}; EXECUTE govrelay_log_frontier`;

/** The append of the document `literal` (an SQL literal) through the prepared append (PREPARE_LOG_STATEMENTS_SQL). */
export function executeLogAppendSql(literal: string): string {
  return `EXECUTE govrelay_log_append(${literal})`;
}

export async function insertLogAppend(client: Queryable, document: string): Promise<void> {
  await client.query(INSERT_LOG_APPEND_SQL, [document]);
}

/** Stored perfect-subtree hashes (level 0: leaf hashes), by "level:index"; missing ones are absent. */
export async function readNodes(db: Queryable, ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (ids.length === 0) return found;
  const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
  const inner = ids.filter((id) => id.level > 0);
  const { rows } = await db.query<{ level: number; idx: string; hash: Buffer }>(
    `SELECT n.level, n.idx::text AS idx, n.hash FROM unnest($1::int[], $2::bigint[]) AS k(level, idx) JOIN log_nodes n ON n.level = k.level AND n.idx = k.idx
     UNION ALL
     SELECT 0, l.idx::text, l.leaf_hash FROM log_leaves l WHERE l.idx = ANY($3::bigint[])`,
    [inner.map((id) => id.level), inner.map((id) => id.index), leaves],
  );
  for (const row of rows) found.set(`${row.level}:${row.idx}`, row.hash);
  return found;
}

const HEAD_SELECT = 'SELECT tree_size::text AS "treeSize", root_hash AS "rootHash", timestamp::text AS timestamp, signature FROM log_tree_heads';

type HeadDbRow = { treeSize: string; rootHash: Buffer; timestamp: string; signature: string };
const toHead = (r: HeadDbRow): TreeHeadRow => ({ treeSize: Number(r.treeSize), rootHash: r.rootHash, timestamp: Number(r.timestamp), signature: r.signature });

export async function latestTreeHead(db: Queryable): Promise<TreeHeadRow | null> {
  const { rows } = await db.query<HeadDbRow>(`${HEAD_SELECT} ORDER BY tree_size DESC LIMIT 1`);
  return rows[0] ? toHead(rows[0]) : null;
}

export async function findTreeHead(db: Queryable, treeSize: number): Promise<TreeHeadRow | null> {
  const { rows } = await db.query<HeadDbRow>(`${HEAD_SELECT} WHERE tree_size = $1`, [treeSize]);
  return rows[0] ? toHead(rows[0]) : null;
}

/** The first head that includes leaf `index` (the head of the append that wrote it). */
export async function firstTreeHeadIncluding(db: Queryable, index: number): Promise<TreeHeadRow | null> {
  const { rows } = await db.query<HeadDbRow>(`${HEAD_SELECT} WHERE tree_size > $1 ORDER BY tree_size LIMIT 1`, [index]);
  return rows[0] ? toHead(rows[0]) : null;
}

/** The latest head's size, 0 for an empty log (a stage close counts at this size). */
export async function latestTreeSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ size: string | null }>('SELECT max(tree_size)::text AS size FROM log_tree_heads');
  return Number(rows[0]?.size ?? 0);
}

const LEAF_SELECT =
  'SELECT idx::text AS index, message_id AS "messageId", signature_hash AS "signatureHash", leaf_hash AS "leafHash", received_at AS "receivedAt" FROM log_leaves';

type LeafDbRow = Omit<LeafRow, 'index'> & { index: string };
const toLeaf = (r: LeafDbRow): LeafRow => ({ ...r, index: Number(r.index) });

export async function findLeafByMessage(db: Queryable, messageId: string): Promise<LeafRow | null> {
  const { rows } = await db.query<LeafDbRow>(`${LEAF_SELECT} WHERE message_id = $1`, [messageId]);
  return rows[0] ? toLeaf(rows[0]) : null;
}

/** Leaves [start, end) in index order. */
export async function listLeaves(db: Queryable, start: number, end: number): Promise<LeafRow[]> {
  const { rows } = await db.query<LeafDbRow>(`${LEAF_SELECT} WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [start, end]);
  return rows.map(toLeaf);
}
