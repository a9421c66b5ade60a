/**
 * Live tallies, counted incrementally: every vote this instance commits is added to (or, for a
 * re-vote, replaced in) an in-memory accumulator of its proposal stage, with the same arithmetic the
 * final recount uses (server/tally/accumulator.ts). Dirty stages are published at most once per
 * interval to every instance's WebSocket subscribers; a publish costs a snapshot of the accumulator,
 * not a recount, however large the stage.
 *
 * Seeding without a pause: a stage's accumulator starts from a recount of the database, read in one
 * REPEATABLE READ snapshot whose transaction ids are known. Votes committed while that recount runs
 * are buffered with the id of the transaction that committed them (the vote writer reports it); when
 * the recount is in, each buffered vote is applied unless the snapshot already contains it. So the
 * accumulator counts every committed vote of this instance exactly once, without stopping intake.
 *
 * Several instances: each counts its own votes at once and the others' when it re-seeds. A stage is
 * re-seeded every TALLY_RESEED_INTERVAL_MS (and at least RESEED_SPACING times the last recount's
 * duration apart) when it is due for one of two reasons: this instance recorded a vote on it, or
 * another instance published a tally of it that holds votes that instance counted itself (its events
 * carry the publishing instance and whether they do: `instance`, `ownVotes`). The second reason is
 * what makes every instance converge after the last vote, whichever instance took it: within one
 * re-seed interval plus a publish round and a recount, each instance holding the stage reads the
 * database once more and publishes the recount. Why this way: the events already reach every
 * instance through Redis, so staleness is known for free, with no per-vote database work and no
 * polling of idle stages; a re-seed's own publish says ownVotes: false, so two instances never keep
 * re-seeding each other once the votes stop. Between votes and that re-seed, a tally read on one
 * instance may miss other instances' votes of the last interval. With one instance the live tally is
 * always exact. Final tallies never come from here: a stage close recounts the database under the
 * proposal's exclusive lock.
 *
 * Two things can still hide another instance's votes: a re-seed that fails (the database is away),
 * and an instance that dies after committing votes but before publishing them. So a failed seed
 * leaves the stage stale (retried a re-seed wait later), and, once another instance has been seen,
 * every stage gets one settling re-seed a re-seed wait after the last activity seen on it (a vote
 * here, or another instance's tally): once the votes stop, every instance reads the database once
 * more, whatever it was told. A lone instance counts every vote itself and never pays for that
 * recount. A stage whose only votes came from an instance that died before publishing them, with no
 * activity here since, is corrected by its next vote or its close. (`npm run chaos` found both.)
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import type { EventPublisher, ServerEvent, TallyEvent } from '../../core/realtime/events.js';
import type { TallyAccumulator } from '../tally/accumulator.js';
import type { TallyVote } from '../../core/tally/types.js';
import { loadStageAccumulator, tallyToJson, type TallySubject, type TallyJson } from './stage-tally.js';
import type { PreviousVote } from './vote-writer.js';
import type { VoteCommitHook } from './vote-handler.js';

type LiveSubject = TallySubject & { spaceId: string };

/** A committed vote, with the transaction that committed it. */
interface CountedVote {
  vote: TallyVote;
  previous: PreviousVote | null;
  xid: bigint;
}

interface LiveStage {
  proposal: LiveSubject;
  stage: number;
  /** null until the first seed is in. */
  accumulator: TallyAccumulator | null;
  /** Votes committed since the running seed started; null when no seed runs. */
  seeding: CountedVote[] | null;
  seededAt: number;
  /** When the last seed started, successful or not: re-seeds for other instances' votes are spaced from it. */
  seedStartedAt: number;
  /** How long the last seed took (ms): re-seeds are spaced by it. */
  lastSeedMs: number;
  lastVoteAt: number;
  dirty: boolean;
  /** This instance counted a vote since the stage's last publish (the next event says ownVotes: true). */
  ownVotes: boolean;
  /** Another instance published votes of the stage that this accumulator may not hold: re-seed when due. */
  stale: boolean;
  /** When the settling re-seed after the last activity is due (0: none pending). */
  settleAt: number;
  /** When the stage last became dirty: the oldest change not yet published (the /metrics lag). */
  dirtySince?: number;
}

/** A PostgreSQL snapshot (pg_current_snapshot()): which transactions' effects it contains. */
export interface PgSnapshot {
  xmin: bigint;
  xmax: bigint;
  inProgress: Set<bigint>;
}

export function parsePgSnapshot(text: string): PgSnapshot {
  const [xmin, xmax, xip = ''] = text.split(':');
  if (xmin === undefined || xmax === undefined) throw new Error(`unexpected snapshot "${text}"`);
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), inProgress: new Set(xip === '' ? [] : xip.split(',').map(BigInt)) };
}

/** Whether a COMMITTED transaction's effects are visible in the snapshot. */
export function snapshotContains(snapshot: PgSnapshot, xid: bigint): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.inProgress.has(xid);
}

/** A re-seed waits at least this multiple of the last recount's duration. */
const RESEED_SPACING = 20;
/** A publish round waits at least this multiple of the last round's duration (ranked-choice snapshots cost). */
const PUBLISH_SPACING = 4;
/** Stages without votes for this long are dropped from memory (a later vote seeds them again). */
const IDLE_EVICT_MS = 10 * 60_000;

export class LiveTally {
  private readonly stages = new Map<string, LiveStage>();
  private timer: NodeJS.Timeout | undefined;
  private readonly seeds = new Map<string, Promise<void>>();
  private closed = false;
  private lastRoundMs = 0;
  private reseedTimer: NodeJS.Timeout | undefined;
  /** Whether another instance's tally event has been seen: only then can votes be missing here (settling re-seeds). */
  private otherInstances = false;
  /** Names this instance in its tally events, so that it can tell the other instances' events from its own. */
  readonly instance = randomUUID();

  constructor(
    private readonly deps: {
      pool: pg.Pool;
      events: EventPublisher;
      intervalMs: number;
      reseedIntervalMs: number;
      logger: Log;
    },
  ) {}

  /**
   * Counts a committed vote. Must be called synchronously after its COMMIT (VoteWriter's afterCommit),
   * so that a seed query sent later contains it.
   */
  record(proposal: LiveSubject, stage: number, vote: TallyVote, previous: PreviousVote | null, xid: bigint): void {
    if (this.closed) return;
    const key = `${proposal.id}:${stage}`;
    let live = this.stages.get(key);
    if (!live) {
      live = {
        proposal,
        stage,
        accumulator: null,
        seeding: null,
        seededAt: 0,
        seedStartedAt: 0,
        lastSeedMs: 0,
        lastVoteAt: 0,
        dirty: false,
        ownVotes: false,
        stale: false,
        settleAt: 0,
      };
      this.stages.set(key, live);
    }
    live.lastVoteAt = Date.now();
    const counted = { vote, previous, xid };
    live.seeding?.push(counted);
    if (live.accumulator) {
      if (!this.apply(live, live.accumulator, counted)) live.accumulator = null;
    }
    if (!live.accumulator && !live.seeding) void this.seed(key, live);
    else if (live.accumulator && !live.seeding && Date.now() - live.seededAt >= this.reseedWait(live)) void this.seed(key, live);
    if (!live.dirty) live.dirtySince = Date.now();
    live.dirty = true;
    live.ownVotes = true;
    this.settleLater(live);
    this.schedule();
  }

  /**
   * Sees every event on the events channel (the realtime plugin passes them on). Another instance's
   * tally of a stage counted here, holding votes that instance counted, marks the stage stale: it is
   * re-seeded once its re-seed interval allows, even if no vote arrives here any more. Own events,
   * re-seed-only events and stages not counted here (their reads recount the database) change nothing.
   */
  observe(event: ServerEvent): void {
    if (event.kind !== 'tally' || event.instance === this.instance) return;
    this.otherInstances = true;
    if (this.closed || event.ownVotes === false) return;
    const live = this.stages.get(`${event.proposalId}:${event.stage}`);
    if (!live) return;
    live.stale = true;
    this.settleLater(live);
    this.scheduleReseed();
  }

  /**
   * Activity on a stage: its settling re-seed moves to a re-seed wait from now. Called for every vote,
   * so it only arms the timer when none is set (settling only moves later; a timer that fires early
   * finds the next due time itself).
   */
  private settleLater(live: LiveStage): void {
    // Alone, this instance counted every vote itself: nothing to settle, and no recount to pay for.
    if (!this.otherInstances) return;
    live.settleAt = Date.now() + this.reseedWait(live);
    if (!this.reseedTimer) this.scheduleReseed();
  }

  /** For /metrics: stages counted here, and how long the oldest unpublished change has waited (0: none). */
  stats(now = Date.now()): { stages: number; seeding: number; lagMs: number } {
    let seeding = 0;
    let lagMs = 0;
    for (const live of this.stages.values()) {
      if (live.seeding) seeding++;
      if (live.dirty && live.dirtySince !== undefined) lagMs = Math.max(lagMs, now - live.dirtySince);
    }
    return { stages: this.stages.size, seeding, lagMs };
  }

  /** The live tally of a stage this instance is counting, or undefined (then recount the database). */
  current(proposalId: string, stage: number): TallyJson | undefined {
    const accumulator = this.stages.get(`${proposalId}:${stage}`)?.accumulator;
    return accumulator ? tallyToJson(accumulator.snapshot()) : undefined;
  }

  /** The power a stage counted here holds so far, or undefined while it is not counted (or still seeding). */
  countedPower(proposalId: string, stage: number): bigint | undefined {
    return this.stages.get(`${proposalId}:${stage}`)?.accumulator?.countedPower();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.reseedTimer) clearTimeout(this.reseedTimer);
    this.reseedTimer = undefined;
    await Promise.all(this.seeds.values());
    this.stages.clear();
  }

  /** Re-reads a stage this instance counts from the database now (operators, tests); resolves when the new count is in. */
  resync(proposalId: string, stage: number): Promise<void> {
    const key = `${proposalId}:${stage}`;
    const live = this.stages.get(key);
    if (!live || this.closed) return Promise.resolve();
    return this.seeds.get(key) ?? this.seed(key, live);
  }

  private reseedWait(live: LiveStage): number {
    return Math.max(this.deps.reseedIntervalMs, live.lastSeedMs * RESEED_SPACING);
  }

  /** When a stale stage may be re-seeded: a re-seed wait after its last seed started (failed seeds count, so an outage is not hammered). */
  private staleDue(live: LiveStage): number {
    return Math.max(live.seededAt, live.seedStartedAt) + this.reseedWait(live);
  }

  /** When this stage's next re-seed is due: stale, or settling after activity (Infinity: none). */
  private nextSeedDue(live: LiveStage): number {
    const stale = live.stale ? this.staleDue(live) : Infinity;
    return Math.min(stale, live.settleAt > 0 ? Math.max(live.settleAt, this.staleDue(live)) : Infinity);
  }

  /** One timer for every stage that is stale or settling, set for the earliest one due; a running seed re-arms it when it ends. */
  private scheduleReseed(): void {
    if (this.closed) return;
    let due = Infinity;
    for (const live of this.stages.values()) if (!live.seeding) due = Math.min(due, this.nextSeedDue(live));
    if (due === Infinity) return;
    if (this.reseedTimer) clearTimeout(this.reseedTimer);
    this.reseedTimer = setTimeout(
      () => {
        this.reseedTimer = undefined;
        const now = Date.now();
        for (const [key, live] of this.stages) {
          if (!live.seeding && this.nextSeedDue(live) <= now) void this.seed(key, live);
        }
        this.scheduleReseed();
      },
      Math.max(0, due - Date.now()),
    );
  }

  /** Adds one vote; false (and a log line) when it cannot be counted, so the stage is re-seeded from the database. */
  private apply(live: LiveStage, accumulator: TallyAccumulator, { vote, previous }: CountedVote): boolean {
    try {
      if (!previous) accumulator.add(vote);
      else {
        // Power is fixed per (proposal, voter), so the replaced vote had the same parts.
        if (previous.power !== vote.power) throw new Error('the replaced vote has another power than the new one');
        accumulator.replace({ ...vote, choice: previous.choice }, vote);
      }
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error, proposalId: live.proposal.id, stage: live.stage, voter: vote.voter }, 'live tally lost count: re-seeding');
      return false;
    }
  }

  private seed(key: string, live: LiveStage): Promise<void> {
    live.seeding = [];
    // The recount's snapshot is taken after this: it holds every vote of the events seen so far.
    live.stale = false;
    // And every vote committed before now, which is what the settling re-seed waits for.
    if (live.settleAt > 0 && Date.now() >= live.settleAt) live.settleAt = 0;
    live.seedStartedAt = Date.now();
    const started = performance.now();
    const run = this.recount(live)
      .then(({ accumulator, snapshot }) => {
        let exact = true;
        for (const counted of live.seeding ?? []) {
          if (!snapshotContains(snapshot, counted.xid)) exact = this.apply(live, accumulator, counted) && exact;
        }
        if (exact) {
          live.accumulator = accumulator;
          live.seededAt = Date.now();
          live.dirty = true;
        } else live.stale = true;
      })
      .catch((error: unknown) => {
        // Still as stale as before: tried again a re-seed wait after this attempt started.
        live.stale = true;
        this.deps.logger.warn({ err: error, proposalId: live.proposal.id, stage: live.stage }, 'live tally seed failed');
      })
      .finally(() => {
        live.seeding = null;
        live.lastSeedMs = performance.now() - started;
        this.seeds.delete(key);
        this.schedule();
        // Other instances' votes published while this seed ran may be missing from its snapshot; a
        // failed seed is retried; a settling re-seed may still be pending.
        this.scheduleReseed();
      });
    this.seeds.set(key, run);
    return run;
  }

  private async recount(live: LiveStage): Promise<{ accumulator: TallyAccumulator; snapshot: PgSnapshot }> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The first statement fixes the transaction's snapshot; the recount reads exactly it.
      const { rows } = await client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
      const accumulator = await loadStageAccumulator(client, live.proposal, live.stage);
      await client.query('COMMIT');
      return { accumulator, snapshot: parsePgSnapshot(rows[0]!.snapshot) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** One publish round at a time, an interval (or PUBLISH_SPACING × the last round) after the previous one. */
  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.publishDirty();
        if ([...this.stages.values()].some((s) => s.dirty && s.accumulator)) this.schedule();
      },
      Math.max(this.deps.intervalMs, this.lastRoundMs * PUBLISH_SPACING),
    );
  }

  private publishDirty(): void {
    // Only the snapshots count towards the pacing: waiting for Redis is not work of ours, and under
    // load it includes event-loop delay that would stretch the interval for nothing.
    const started = performance.now();
    const now = Date.now();
    const events: TallyEvent[] = [];
    for (const [key, live] of this.stages) {
      if (!live.dirty) {
        if (!live.seeding && now - live.lastVoteAt > IDLE_EVICT_MS) {
          this.stages.delete(key);
        }
        continue;
      }
      if (!live.accumulator) continue; // published once its seed is in
      live.dirty = false;
      const { id: proposalId, spaceId } = live.proposal;
      const ownVotes = live.ownVotes;
      live.ownVotes = false;
      events.push({
        kind: 'tally',
        proposalId,
        spaceId,
        stage: live.stage,
        tally: tallyToJson(live.accumulator.snapshot()),
        at: now,
        instance: this.instance,
        ownVotes,
      });
    }
    this.lastRoundMs = performance.now() - started;
    // Not awaited: the next round's timer must not wait for Redis (one connection keeps them in order).
    for (const event of events) {
      this.deps.events
        .publish(event)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, proposalId: event.proposalId, stage: event.stage }, 'live tally publish failed'));
    }
  }
}

/**
 * The live tally's after-commit hook on votes (registered with createVoteHandler's onCommit): each
 * committed vote is counted inside its commit callback, so the tally and the database agree on
 * which votes it holds.
 */
export function liveTallyHook(liveTally: LiveTally): VoteCommitHook {
  return (proposal, stage, vote, result) => liveTally.record(proposal, stage, vote, result.previous, result.xid);
}
