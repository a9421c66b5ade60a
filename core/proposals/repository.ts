/** Reading proposals from the database into typed records. */
import type { Queryable } from '../db/transaction.js';
import type { ProposalState } from '../lifecycle/states.js';
import type { VotingType } from '../tally/types.js';
import type { ProposalRules } from './rules.js';

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
  payload_hash AS "payloadHash", payload, target_code_hashes AS "targetCodeHashes", idea_id AS "ideaId", state,
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
