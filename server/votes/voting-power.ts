/**
 * Voting power per (proposal, address): computed once from the space's strategies at the proposal's
 * snapshot and kept in memory. In a space of several strategies a vote stores its voter's power per
 * strategy in voting_powers, in the vote's own transaction (server/votes/vote-writer.ts), which is
 * where this service finds it after a restart; with one strategy it finds it in the voter's vote
 * (POWER_READ_SQL). Concurrent requests for one proposal are
 * gathered into one strategy call, and while MAX_LOADS_IN_FLIGHT calls are out, new addresses
 * wait for the next one: a chain read has a fixed cost (~12 ms on a local hardhat node), so the
 * batches grow with the load instead of the calls multiplying.
 */
import type pg from 'pg';
import type { MulticallReader } from '../../core/chain/multicall.js';
import { computeVotingPower } from '../../strategies/index.js';
import type { ReputationLedger, StrategyContext, StrategyRef } from '../../strategies/types.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';

export interface VoterPower {
  total: bigint;
  /** Per strategy, after weights. */
  byStrategy: bigint[];
}

export interface PowerSubject {
  /** Proposal id; undefined while a proposal is being created (nothing is cached then). */
  id?: string;
  spaceId: string;
  snapshotBlock: bigint;
  snapshotTime: bigint;
  strategies: StrategyRef[];
}

/** The power-relevant part of a stored proposal. */
export function powerSubjectOf(proposal: ProposalRecord): PowerSubject & { id: string } {
  return {
    id: proposal.id,
    spaceId: proposal.spaceId,
    snapshotBlock: proposal.snapshotBlock,
    snapshotTime: proposal.snapshotTime,
    strategies: proposal.rules.settings.strategies,
  };
}

interface PendingBatch {
  subject: PowerSubject;
  waiters: Map<string, { resolve: (p: VoterPower) => void; reject: (e: unknown) => void }[]>;
}

/** Powers kept in memory across proposals; past it, the proposals loaded longest ago are dropped first. */
const MEMORY_CACHE_LIMIT = 1_000_000;
const MAX_BATCH = 1000;
/** Addresses per computation in many(): a few Multicall3 eth_calls each, so votes' own loads interleave. */
const MANY_CHUNK = 4000;
/** Loads of one proposal in flight at once; more addresses wait and go together in the next. */
const MAX_LOADS_IN_FLIGHT = 2;

/**
 * Stored powers of many addresses of one proposal: one primary-key lookup per address (LIMIT 1
 * keeps it from being flattened). With stale statistics, "address = ANY($2)" scanned every stored
 * power of the proposal instead. In a space of one strategy no voting_powers row is written: the
 * voter's vote (either stage) holds the power it was counted with, and its breakdown is [power].
 * One branch per stage: with `stage = ANY(...)` the planner probed only (proposal, voter) and
 * filtered the stage, reading every vote of the proposal.
 * Prepared, so its generic plan is checked in test/server/cached-plans.test.ts.
 */
export const POWER_READ_SQL = `
SELECT a.address, p.power::text AS power, p.by_strategy
  FROM unnest($2::text[]) AS a(address)
  CROSS JOIN LATERAL (
    SELECT v.power, v.by_strategy FROM voting_powers v WHERE v.proposal_id = $1 AND v.address = a.address
    UNION ALL
    SELECT v.power, jsonb_build_array(v.power::text) FROM votes v WHERE v.proposal_id = $1 AND v.stage = 1 AND v.voter = a.address
    UNION ALL
    SELECT v.power, jsonb_build_array(v.power::text) FROM votes v WHERE v.proposal_id = $1 AND v.stage = 2 AND v.voter = a.address
    LIMIT 1
  ) p`;

export class VotingPowerService {
  /** Per proposal (in the order first loaded), power per address. */
  private readonly memory = new Map<string, Map<string, VoterPower>>();
  private memorySize = 0;
  private readonly batches = new Map<string, PendingBatch>();
  /** Loads in flight per proposal. */
  private readonly loading = new Map<string, number>();

  constructor(private readonly deps: { pool: pg.Pool; multicall: MulticallReader; reputationLedger: ReputationLedger; chainId: number }) {}

  /** Power of many addresses without caching (used for the proposal gate, before the proposal exists). */
  async compute(subject: PowerSubject, addresses: readonly string[]): Promise<VoterPower[]> {
    const { total, byStrategy } = await computeVotingPower(this.strategyContext(subject), subject.strategies, addresses);
    return addresses.map((_, i) => ({ total: total[i] ?? 0n, byStrategy: byStrategy[i] ?? [] }));
  }

  /** What strategies read a subject's power with. */
  strategyContext(subject: PowerSubject): StrategyContext {
    return {
      chainId: this.deps.chainId,
      spaceId: subject.spaceId,
      snapshotBlock: subject.snapshotBlock,
      snapshotTime: subject.snapshotTime,
      multicall: this.deps.multicall,
      reputationLedger: this.deps.reputationLedger,
    };
  }

  /** Power of one address on a stored proposal: memory, then the database, then the strategies. */
  get(subject: PowerSubject & { id: string }, address: string): Promise<VoterPower> {
    const cached = this.memory.get(subject.id)?.get(address);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(subject.id);
      if (!batch) {
        batch = { subject, waiters: new Map() };
        this.batches.set(subject.id, batch);
        // While loads of this proposal are in flight, addresses gather for the next one (one chain
        // call per round trip, however votes arrive); otherwise the batch goes after this tick.
        if ((this.loading.get(subject.id) ?? 0) < MAX_LOADS_IN_FLIGHT) {
          const current = batch;
          setImmediate(() => this.flush(current));
        }
      }
      const list = batch.waiters.get(address) ?? [];
      list.push({ resolve, reject });
      batch.waiters.set(address, list);
      if (batch.waiters.size >= MAX_BATCH) this.flush(batch);
    });
  }

  private flush(batch: PendingBatch): void {
    const id = batch.subject.id!;
    if (this.batches.get(id) !== batch) return;
    this.batches.delete(id);
    this.loading.set(id, (this.loading.get(id) ?? 0) + 1);
    const addresses = [...batch.waiters.keys()];
    this.load(batch.subject as PowerSubject & { id: string }, addresses)
      .then(
        (powers) => {
          for (const address of addresses) for (const w of batch.waiters.get(address) ?? []) w.resolve(powers.get(address)!);
        },
        (error: unknown) => {
          for (const list of batch.waiters.values()) for (const w of list) w.reject(error);
        },
      )
      .finally(() => {
        const left = this.loading.get(id)! - 1;
        if (left === 0) this.loading.delete(id);
        else this.loading.set(id, left);
        const waiting = this.batches.get(id);
        if (waiting) this.flush(waiting);
      });
  }

  private async load(subject: PowerSubject & { id: string }, addresses: string[]): Promise<Map<string, VoterPower>> {
    const result = new Map<string, VoterPower>();
    const { rows } = await this.deps.pool.query<{ address: string; power: string; by_strategy: string[] }>({
      name: 'govrelay-power-read',
      text: POWER_READ_SQL,
      values: [subject.id, addresses],
    });
    for (const row of rows) result.set(row.address, { total: BigInt(row.power), byStrategy: row.by_strategy.map(BigInt) });

    const missing = addresses.filter((a) => !result.has(a));
    if (missing.length > 0) {
      const computed = await this.compute(subject, missing);
      missing.forEach((address, i) => result.set(address, computed[i]!));
    }
    this.remember(subject.id, result);
    return result;
  }

  /**
   * Power of many addresses of a stored proposal (a delegation snapshot's delegators): memory first,
   * the rest computed in Multicall3 batches and remembered. No voting_powers read: that table only
   * holds voters, whose power is in memory once read.
   */
  async many(subject: PowerSubject & { id: string }, addresses: readonly string[]): Promise<Map<string, VoterPower>> {
    const known = this.memory.get(subject.id);
    const result = new Map<string, VoterPower>();
    const missing: string[] = [];
    for (const address of addresses) {
      const power = known?.get(address);
      if (power) result.set(address, power);
      else missing.push(address);
    }
    for (let start = 0; start < missing.length; start += MANY_CHUNK) {
      const chunk = missing.slice(start, start + MANY_CHUNK);
      const computed = await this.compute(subject, chunk);
      const entries = chunk.map((address, i): [string, VoterPower] => [address, computed[i]!]);
      this.remember(subject.id, entries);
      for (const [address, power] of entries) result.set(address, power);
    }
    return result;
  }

  /** Number of addresses of a proposal whose power is in memory. */
  knownCount(proposalId: string): number {
    return this.memory.get(proposalId)?.size ?? 0;
  }

  /** Keeps computed powers of a proposal in memory (power at a past snapshot never changes). */
  remember(proposalId: string, powers: Iterable<[string, VoterPower]>): void {
    let known = this.memory.get(proposalId);
    if (!known) {
      known = new Map();
      this.memory.set(proposalId, known);
    }
    for (const [address, power] of powers) {
      if (!known.has(address)) this.memorySize += 1;
      known.set(address, power);
    }
    for (const [id, other] of this.memory) {
      if (this.memorySize <= MEMORY_CACHE_LIMIT) break;
      if (id === proposalId) continue;
      this.memory.delete(id);
      this.memorySize -= other.size;
    }
  }
}
