/**
 * Keeps live tallies moving: after votes land, a proposal stage is marked dirty and re-tallied at
 * most once per interval, and the result is published to every instance's WebSocket subscribers.
 *
 * The recount reads the stage from the database (the record), so it includes votes accepted by
 * every instance. Its cost grows with the stage (about 0.5 s at 100,000 votes), so the pause
 * before the next recount grows with it: at least RECOUNT_SPACING times the last recount's
 * duration. Recounting then takes at most ~1/(1 + RECOUNT_SPACING) of the time however large
 * the stage, instead of running back to back and starving vote intake; nothing is recounted while
 * no vote changed. (An incremental per-instance accumulator fed by the vote writer's
 * previous-vote results is the next step; it needs a cross-instance feed to stay exact.)
 */
import type pg from 'pg';
import type { Log } from '../logger.js';
import type { EventPublisher } from '../realtime/events.js';
import { tallyStage, tallyToJson, type TallySubject, type TallyJson } from './stage-tally.js';

interface DirtyStage {
  proposal: TallySubject & { spaceId: string };
  stage: number;
}

/** The pause before the next recount is at least this multiple of the last recount's duration. */
const RECOUNT_SPACING = 4;

export class LiveTally {
  private readonly dirty = new Map<string, DirtyStage>();
  private readonly latest = new Map<string, { tally: TallyJson; at: number }>();
  /** Bumped by every vote: a recount that started before a vote must not be cached as current. */
  private readonly versions = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  /** How long the last round of recounts took (ms). */
  private lastRoundMs = 0;

  constructor(
    private readonly deps: { pool: pg.Pool; events: EventPublisher; intervalMs: number; logger: Log },
  ) {}

  markDirty(proposal: TallySubject & { spaceId: string }, stage: number): void {
    if (this.closed) return;
    const key = `${proposal.id}:${stage}`;
    // A read after an acknowledged vote on this instance must include it.
    this.latest.delete(key);
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    this.dirty.set(key, { proposal, stage });
    this.schedule();
  }

  /**
   * One publish at a time: the next one starts an interval after the previous one finished.
   * (A tally of a big stage can take longer than the interval; overlapping recounts of the same
   * stage would pile up and starve vote intake.)
   */
  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.publishDirty().finally(() => {
        this.running = undefined;
        if (this.dirty.size > 0) this.schedule();
      });
    }, Math.max(this.deps.intervalMs, this.lastRoundMs * RECOUNT_SPACING));
  }

  /** The most recent live tally this instance computed, if it is fresh enough. */
  cached(proposalId: string, stage: number, maxAgeMs: number): TallyJson | undefined {
    const entry = this.latest.get(`${proposalId}:${stage}`);
    return entry && Date.now() - entry.at <= maxAgeMs ? entry.tally : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async publishDirty(): Promise<void> {
    const started = performance.now();
    try {
      await this.recountDirty();
    } finally {
      this.lastRoundMs = performance.now() - started;
    }
  }

  private async recountDirty(): Promise<void> {
    const stages = [...this.dirty.values()];
    this.dirty.clear();
    for (const { proposal, stage } of stages) {
      const key = `${proposal.id}:${stage}`;
      const version = this.versions.get(key);
      try {
        const tally = tallyToJson(await tallyStage(this.deps.pool, proposal, stage));
        if (this.versions.get(key) === version) this.latest.set(key, { tally, at: Date.now() });
        await this.deps.events.publish({ kind: 'tally', proposalId: proposal.id, spaceId: proposal.spaceId, stage, tally });
      } catch (error) {
        this.deps.logger.warn({ err: error, proposalId: proposal.id, stage }, 'live tally failed');
      }
    }
  }
}
