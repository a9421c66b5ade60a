/**
 * A proposal's delegation as of its snapshot, resolved once and stored (delegation_snapshots,
 * delegation_shares), so the vote path, the tallies and every instance read the same edges.
 *
 * Which delegation counts: of a delegator's messages signed at or before the snapshot block's
 * timestamp and received before the proposal was created, the latest per scope; the space-scoped one
 * if it is a Delegate that has not expired at the snapshot time, else the global one under the same
 * rule, else none. One hop: a delegate passes on nothing they received.
 *
 * Shares (integer arithmetic): for each strategy s of the space, a delegate with b basis points gets
 * floor(power_s × b / 10,000) of the delegator's power_s (after the strategy's weight); what rounding
 * leaves, and any basis points not given, stay with the delegator. So for every strategy the
 * delegator's retained power plus the shares given equals their power: Σ effective = Σ own power.
 *
 * Cost: one database query, then the delegators' own power through the strategies in Multicall3
 * batches (what preloading computed already is reused), whatever the number of delegators.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import { withTransaction, type Queryable } from '../../core/db/transaction.js';
import { lockDelegations } from '../../core/db/locks.js';
import { delegationsAsOf, type DelegationRow } from '../../core/db/delegations.js';
import { delegationSnapshotExists, insertDelegationSnapshot, loadShareEdges, type ShareEdge } from '../../core/db/delegation-shares.js';
import { powerSubjectOf, type VoterPower, type VotingPowerService } from '../votes/voting-power.js';
import { FULL_BPS } from './delegation-rules.js';

export interface PowerParts {
  total: bigint;
  byStrategy: bigint[];
}

export class DelegationSnapshot {
  readonly byDelegator = new Map<string, ShareEdge[]>();
  readonly byDelegate = new Map<string, ShareEdge[]>();

  constructor(
    readonly proposalId: string,
    readonly edges: readonly ShareEdge[],
    private readonly strategyCount: number,
  ) {
    for (const edge of edges) {
      (this.byDelegator.get(edge.delegator) ?? this.byDelegator.set(edge.delegator, []).get(edge.delegator)!).push(edge);
      (this.byDelegate.get(edge.delegate) ?? this.byDelegate.set(edge.delegate, []).get(edge.delegate)!).push(edge);
    }
  }

  /** Power received from every delegator (before any of them votes). */
  received(address: string): PowerParts {
    return this.sum(this.byDelegate.get(address) ?? []);
  }

  /** Power given to delegates (what the address's own vote takes back). */
  given(address: string): PowerParts {
    return this.sum(this.byDelegator.get(address) ?? []);
  }

  private sum(edges: readonly ShareEdge[]): PowerParts {
    const byStrategy = Array.from({ length: this.strategyCount }, () => 0n);
    let total = 0n;
    for (const edge of edges) {
      total += edge.power;
      edge.byStrategy.forEach((part, i) => (byStrategy[i] = (byStrategy[i] ?? 0n) + part));
    }
    return { total, byStrategy };
  }
}

/** The delegation that counts for each delegator at the snapshot time (see the file comment). */
export function effectiveDelegations(rows: readonly DelegationRow[], spaceId: string, asOf: bigint): Map<string, DelegationRow> {
  const scoped = new Map<string, DelegationRow>();
  const global = new Map<string, DelegationRow>();
  for (const row of rows) (row.spaceId === spaceId ? scoped : global).set(row.delegator, row);
  const counts = (row: DelegationRow | undefined): row is DelegationRow =>
    row !== undefined && row.kind === 'delegate' && (row.expiry === null || row.expiry > asOf);
  const result = new Map<string, DelegationRow>();
  for (const delegator of new Set([...scoped.keys(), ...global.keys()])) {
    const space = scoped.get(delegator);
    const chosen = counts(space) ? space : global.get(delegator);
    if (counts(chosen)) result.set(delegator, chosen);
  }
  return result;
}

/** Splits each delegator's power among their delegates (rounding down per strategy). */
export function splitShares(delegations: ReadonlyMap<string, DelegationRow>, powers: ReadonlyMap<string, VoterPower>): ShareEdge[] {
  const edges: ShareEdge[] = [];
  for (const [delegator, row] of delegations) {
    const own = powers.get(delegator);
    for (const { address, bps } of row.delegates) {
      const byStrategy = (own?.byStrategy ?? []).map((part) => (part * BigInt(bps)) / BigInt(FULL_BPS));
      edges.push({ delegator, delegate: address, bps, power: byStrategy.reduce((a, b) => a + b, 0n), byStrategy });
    }
  }
  return edges;
}

/** Snapshots kept in memory; past it, the oldest loaded are dropped (they reload from the database). */
const MEMORY_LIMIT = 200;

export class DelegationService {
  private readonly memory = new Map<string, DelegationSnapshot>();
  private readonly loading = new Map<string, Promise<DelegationSnapshot>>();

  constructor(private readonly deps: { pool: pg.Pool; power: VotingPowerService; logger: Log }) {}

  /** The proposal's delegation snapshot: memory, then the database, else resolved and stored now. */
  forProposal(proposal: ProposalRecord): Promise<DelegationSnapshot> {
    const known = this.memory.get(proposal.id);
    if (known) return Promise.resolve(known);
    let pending = this.loading.get(proposal.id);
    if (!pending) {
      pending = this.load(proposal).finally(() => this.loading.delete(proposal.id));
      this.loading.set(proposal.id, pending);
    }
    return pending;
  }

  /** Resolves in the background (after a proposal is created), so its first votes do not wait. */
  ensure(proposal: ProposalRecord): void {
    this.forProposal(proposal).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, proposalId: proposal.id }, 'delegation snapshot failed; the first vote resolves it'),
    );
  }

  private async load(proposal: ProposalRecord): Promise<DelegationSnapshot> {
    const { pool } = this.deps;
    const strategyCount = proposal.rules.settings.strategies.length;
    let edges = (await delegationSnapshotExists(pool, proposal.id)) ? await loadShareEdges(pool, proposal.id) : null;
    // Resolved under the exclusive delegations lock (core/db/locks.ts): no delegation message received
    // before the proposal was created can commit between this read and the stored snapshot.
    edges ??= await withTransaction(pool, async (client) => {
      await lockDelegations(client, 'exclusive');
      if (await delegationSnapshotExists(client, proposal.id)) return loadShareEdges(client, proposal.id);
      const resolved = await this.resolve(client, proposal);
      await insertDelegationSnapshot(client, proposal.id, resolved, new Date());
      return resolved;
    });
    const snapshot = new DelegationSnapshot(proposal.id, edges, strategyCount);
    this.memory.set(proposal.id, snapshot);
    if (this.memory.size > MEMORY_LIMIT) this.memory.delete(this.memory.keys().next().value!);
    return snapshot;
  }

  private async resolve(db: Queryable, proposal: ProposalRecord): Promise<ShareEdge[]> {
    const rows = await delegationsAsOf(db, proposal.spaceId, proposal.snapshotTime, proposal.createdAt);
    const delegations = effectiveDelegations(rows, proposal.spaceId, proposal.snapshotTime);
    const powers = await this.deps.power.many(powerSubjectOf(proposal), [...delegations.keys()]);
    return splitShares(delegations, powers);
  }
}
