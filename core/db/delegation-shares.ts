/**
 * The delegation_snapshots and delegation_shares tables: a proposal's delegation as of its snapshot,
 * resolved once (server/delegations/delegated-power.ts) and never changed, so every instance, the
 * live tally and the final tally read the same edges.
 */
import type { Queryable } from './transaction.js';

export interface ShareEdge {
  delegator: string;
  delegate: string;
  bps: number;
  /** The delegate's part of the delegator's power (after strategy weights), rounded down per strategy. */
  power: bigint;
  byStrategy: bigint[];
}

/** Whether the proposal's delegation was resolved (its shares are stored). */
export async function delegationSnapshotExists(db: Queryable, proposalId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM delegation_snapshots WHERE proposal_id = $1', [proposalId]);
  return Boolean(rowCount);
}

/**
 * Stores a resolved snapshot with its edges, once: false when another writer stored it first (the
 * rows are then left as they are; a resolution is a pure function of the messages and the chain).
 */
export async function insertDelegationSnapshot(db: Queryable, proposalId: string, edges: readonly ShareEdge[], at: Date): Promise<boolean> {
  const delegators = new Set(edges.map((e) => e.delegator)).size;
  const delegates = new Set(edges.map((e) => e.delegate)).size;
  const { rowCount } = await db.query(
    `INSERT INTO delegation_snapshots (proposal_id, delegators, delegates, computed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (proposal_id) DO NOTHING`,
    [proposalId, delegators, delegates, at],
  );
  if (rowCount !== 1) return false;
  const CHUNK = 5000;
  for (let start = 0; start < edges.length; start += CHUNK) {
    const chunk = edges.slice(start, start + CHUNK);
    await db.query(
      `INSERT INTO delegation_shares (proposal_id, delegator, delegate, bps, power, by_strategy)
       SELECT $1, e.delegator, e.delegate, e.bps, e.power::numeric, e.by_strategy
         FROM jsonb_to_recordset($2::jsonb) AS e(delegator text, delegate text, bps int, power text, by_strategy jsonb)`,
      [
        proposalId,
        JSON.stringify(
          chunk.map((e) => ({ delegator: e.delegator, delegate: e.delegate, bps: e.bps, power: e.power.toString(), by_strategy: e.byStrategy.map(String) })),
        ),
      ],
    );
  }
  return true;
}

/**
 * Whether a proposal of the scope (a space, or any space for "") created at or after `since` already
 * has its delegation snapshot: a delegation message received at `since` would then have been missed
 * by it, so the message is refused (and counts when posted again).
 */
export async function snapshotResolvedSince(db: Queryable, spaceId: string, since: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM delegation_snapshots s JOIN proposals p ON p.id = s.proposal_id
      WHERE ($1 = '' OR p.space_id = $1) AND p.created_at >= $2 LIMIT 1`,
    [spaceId, since],
  );
  return Boolean(rowCount);
}

/** Every edge of a proposal's snapshot (empty when none counted or not resolved yet). */
export async function loadShareEdges(db: Queryable, proposalId: string): Promise<ShareEdge[]> {
  const { rows } = await db.query<{ delegator: string; delegate: string; bps: number; power: string; by_strategy: string[] }>(
    'SELECT delegator, delegate, bps, power::text AS power, by_strategy FROM delegation_shares WHERE proposal_id = $1',
    [proposalId],
  );
  return rows.map((r) => ({ delegator: r.delegator, delegate: r.delegate, bps: r.bps, power: BigInt(r.power), byStrategy: r.by_strategy.map(BigInt) }));
}

export interface DelegateRanking {
  delegate: string;
  received: bigint;
  delegators: number;
}

/** A proposal's delegates by received power (then address), one page. */
export async function rankDelegates(db: Queryable, proposalId: string, limit: number, offset: number): Promise<DelegateRanking[]> {
  const { rows } = await db.query<{ delegate: string; received: string; delegators: number }>(
    `SELECT delegate, sum(power)::text AS received, count(*)::int AS delegators
       FROM delegation_shares WHERE proposal_id = $1
      GROUP BY delegate ORDER BY sum(power) DESC, delegate LIMIT $2 OFFSET $3`,
    [proposalId, limit, offset],
  );
  return rows.map((r) => ({ delegate: r.delegate, received: BigInt(r.received), delegators: r.delegators }));
}

/** The space's latest proposal whose delegation was resolved (the delegates directory reads it by default). */
export async function latestResolvedProposal(db: Queryable, spaceId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM proposals p JOIN delegation_snapshots s ON s.proposal_id = p.id WHERE p.space_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT 1`,
    [spaceId],
  );
  return rows[0]?.id ?? null;
}

/**
 * Participation per delegate: of the space's proposals created since their first delegation, how
 * many exist and on how many they voted (in any stage).
 */
export async function delegateParticipation(
  db: Queryable,
  spaceId: string,
  since: ReadonlyMap<string, Date>,
): Promise<Map<string, { proposals: number; voted: number }>> {
  const delegates = [...since.keys()];
  if (delegates.length === 0) return new Map();
  const { rows } = await db.query<{ delegate: string; proposals: number; voted: number }>(
    `SELECT d.delegate,
            count(p.id)::int AS proposals,
            count(p.id) FILTER (WHERE EXISTS (SELECT 1 FROM votes v WHERE v.proposal_id = p.id AND v.voter = d.delegate))::int AS voted
       FROM unnest($2::text[], $3::timestamptz[]) AS d(delegate, since)
       LEFT JOIN proposals p ON p.space_id = $1 AND p.created_at >= d.since
      GROUP BY d.delegate`,
    [spaceId, delegates, delegates.map((d) => since.get(d)!)],
  );
  return new Map(rows.map((r) => [r.delegate, { proposals: r.proposals, voted: r.voted }]));
}

/** The edges into one delegate at a proposal's snapshot, largest first (by the numeric column: the text alias would sort as text). */
export async function sharesToDelegate(db: Queryable, proposalId: string, delegate: string): Promise<ShareEdge[]> {
  const { rows } = await db.query<{ delegator: string; delegate: string; bps: number; power: string; by_strategy: string[] }>(
    `SELECT delegator, delegate, bps, power::text AS power, by_strategy FROM delegation_shares
      WHERE proposal_id = $1 AND delegate = $2 ORDER BY delegation_shares.power DESC, delegator`,
    [proposalId, delegate],
  );
  return rows.map((r) => ({ delegator: r.delegator, delegate: r.delegate, bps: r.bps, power: BigInt(r.power), byStrategy: r.by_strategy.map(BigInt) }));
}
