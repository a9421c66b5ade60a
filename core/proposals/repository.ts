/** Reading proposals from the database into typed records. */
import type { Queryable } from '../db/transaction.js';
import type { ProposalState } from '../lifecycle/states.js';
import type { VotingType } from '../tally/types.js';
import type { ProposalRules } from './rules.js';
import { ACTIVE_STATES } from '../lifecycle/states.js';

export interface ExecutionPayload {
  targets: string[];
  values: string[];
  calldatas: string[];
}

export interface ProposalRecord {
  id: string;
  spaceId: string;
  author: string;
  title: string;
  body: string;
  discussion: string;
  choices: string[];
  votingType: VotingType;
  snapshotBlock: bigint;
  snapshotTime: bigint;
  executionMode: string;
  payloadHash: string;
  payload: ExecutionPayload | null;
  targetCodeHashes: { target: string; codeHash: string }[];
  ideaId: string | null;
  /** The space's proposal kind it runs under ("default" for every proposal created before kinds). */
  kind: string;
  state: ProposalState;
  createdAt: Date;
  temperatureStart: Date;
  temperatureEnd: Date;
  consensusStart: Date | null;
  consensusEnd: Date | null;
  rules: ProposalRules;
  updatedAt: Date;
}

const COLUMNS = `id, space_id AS "spaceId", author, title, body, discussion, choices, voting_type AS "votingType",
  snapshot_block::text AS "snapshotBlock", snapshot_time::text AS "snapshotTime", execution_mode AS "executionMode",
  payload_hash AS "payloadHash", payload, target_code_hashes AS "targetCodeHashes", idea_id AS "ideaId", kind, state,
  created_at AS "createdAt", temperature_start AS "temperatureStart", temperature_end AS "temperatureEnd",
  consensus_start AS "consensusStart", consensus_end AS "consensusEnd", rules, updated_at AS "updatedAt"`;

type Row = Omit<ProposalRecord, 'snapshotBlock' | 'snapshotTime'> & { snapshotBlock: string; snapshotTime: string };

function toRecord(row: Row): ProposalRecord {
  return { ...row, snapshotBlock: BigInt(row.snapshotBlock), snapshotTime: BigInt(row.snapshotTime) };
}

export async function findProposal(db: Queryable, id: string): Promise<ProposalRecord | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM proposals WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * A page of proposals, newest first (created_at, id descending), after the keyset `after`: one query
 * for the whole page (GET /api/proposals).
 */
export async function listProposals(
  db: Queryable,
  filter: { spaceId?: string | undefined; state?: string | undefined; after: { createdAt: Date; id: string } | null; limit: number },
): Promise<ProposalRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.spaceId) where.push(`space_id = $${params.push(filter.spaceId)}`);
  if (filter.state) where.push(`state = $${params.push(filter.state)}`);
  if (filter.after) where.push(`(created_at, id) < ($${params.push(filter.after.createdAt)}, $${params.push(filter.after.id)})`);
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM proposals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.push(filter.limit)}`,
    params,
  );
  return rows.map(toRecord);
}

/** How many active proposals an author has in a space (the per-author limit). */
export async function countActiveProposals(db: Queryable, spaceId: string, author: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM proposals WHERE space_id = $1 AND author = $2 AND state = ANY($3)', [
    spaceId,
    author,
    ACTIVE_STATES,
  ]);
  return rows[0]!.n;
}

/** Stores a new proposal (in its creation transaction, after its signed message). */
export async function insertProposal(
  db: Queryable,
  p: Omit<ProposalRecord, 'snapshotBlock' | 'snapshotTime' | 'consensusStart' | 'consensusEnd' | 'updatedAt'> & { snapshotBlock: string; snapshotTime: string },
): Promise<void> {
  await db.query(
    `INSERT INTO proposals (id, space_id, author, title, body, discussion, choices, voting_type, snapshot_block, snapshot_time,
       execution_mode, payload_hash, payload, target_code_hashes, idea_id, state, created_at, temperature_start, temperature_end,
       rules, updated_at, kind)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$20,$15,$16,$17,$18,$19,$16,$21)`,
    [
      p.id,
      p.spaceId,
      p.author,
      p.title,
      p.body,
      p.discussion,
      JSON.stringify(p.choices),
      p.votingType,
      p.snapshotBlock,
      p.snapshotTime,
      p.executionMode,
      p.payloadHash,
      p.payload ? JSON.stringify(p.payload) : null,
      JSON.stringify(p.targetCodeHashes),
      p.state,
      p.createdAt,
      p.temperatureStart,
      p.temperatureEnd,
      JSON.stringify(p.rules),
      p.ideaId,
      p.kind,
    ],
  );
}
