/**
 * The stage_results table: a stage's final tally and outcome, written once when the stage closes
 * (the lifecycle engine's close, server/lifecycle/engine.ts, in the close's transaction) and read here;
 * its warnings (power spikes) are added after the close by setStageWarnings.
 */
import type { Queryable } from './transaction.js';

export interface StageResultRecord {
  proposalId: string;
  stage: number;
  votingType: string;
  choices: unknown;
  scores: unknown;
  scoresByStrategy: unknown;
  /** Decimal string. */
  totalPower: string;
  voterCount: number;
  /** Decimal string. */
  quorum: string;
  quorumReached: boolean;
  passed: boolean;
  winningChoice: number | null;
  outcome: string;
  computedAt: Date;
  /** The log's tree size the stage was counted at; null for results from before the log. */
  logTreeSize: number | null;
  /** The receipt key's signature over the stage result digest (core/log/digests.ts); null before the log. */
  signature: string | null;
  /** Warnings about the result, added after the close (server/votes/power-spike.ts); null until then or without any check. */
  warnings: StageWarnings | null;
}

/** A voter whose power at the snapshot is more than `multiple` times their power `lookbackBlocks` earlier. */
export interface PowerSpikeVoter {
  address: string;
  /** At the snapshot (as counted), decimal string. */
  power: string;
  /** At the snapshot − lookbackBlocks, decimal string. */
  earlierPower: string;
}

export interface StageWarnings {
  powerSpike?: { multiple: number; lookbackBlocks: number; earlierBlock: string; voters: PowerSpikeVoter[] };
}

const SELECT = `SELECT proposal_id AS "proposalId", stage, voting_type AS "votingType", choices, scores, scores_by_strategy AS "scoresByStrategy",
  total_power::text AS "totalPower", voter_count AS "voterCount", quorum::text AS quorum, quorum_reached AS "quorumReached", passed,
  winning_choice AS "winningChoice", outcome, computed_at AS "computedAt", log_tree_size::text AS "logTreeSize", signature, warnings FROM stage_results`;

type Row = Omit<StageResultRecord, 'logTreeSize'> & { logTreeSize: string | null };
const toRecord = (r: Row): StageResultRecord => ({ ...r, logTreeSize: r.logTreeSize === null ? null : Number(r.logTreeSize) });

/** Every closed stage of a proposal, in stage order. */
export async function listStageResults(db: Queryable, proposalId: string): Promise<StageResultRecord[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE proposal_id = $1 ORDER BY stage`, [proposalId]);
  return rows.map(toRecord);
}

export async function findStageResult(db: Queryable, proposalId: string, stage: number): Promise<StageResultRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE proposal_id = $1 AND stage = $2`, [proposalId, stage]);
  return rows[0] && toRecord(rows[0]);
}

/** The last closed stage of a proposal, if any. */
export async function latestStageResult(db: Queryable, proposalId: string): Promise<StageResultRecord | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE proposal_id = $1 ORDER BY stage DESC LIMIT 1`, [proposalId]);
  return rows[0] && toRecord(rows[0]);
}

/** Adds the warnings of a closed stage (after its close; the result itself never changes). */
export async function setStageWarnings(db: Queryable, proposalId: string, stage: number, warnings: StageWarnings): Promise<void> {
  await db.query('UPDATE stage_results SET warnings = $3 WHERE proposal_id = $1 AND stage = $2', [proposalId, stage, JSON.stringify(warnings)]);
}
