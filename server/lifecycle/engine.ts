/**
 * Moves proposals through their lifecycle on time. Every transition runs under the proposal's
 * exclusive lock and is conditional on the state it expects, so timers, the sweeper and several
 * server instances may all try the same transition: exactly one applies it.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import type { EventPublisher, LifecycleEvent } from '../../core/realtime/events.js';
import { withTransaction, type Queryable } from '../../core/db/transaction.js';
import { lockProposalExclusive } from '../../core/db/locks.js';
import { decideOutcome } from '../tally/outcome.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import { STAGE_NAMES, openStateOf } from '../../core/lifecycle/states.js';
import { tallyStage, tallyToJson } from '../votes/stage-tally.js';
import { applyTransition, nextDeadline, openConsensus, type TransitionRecord } from '../../core/lifecycle/state-machine.js';
import { queueExecution } from '../../core/executions/repository.js';
import { latestTreeSize } from '../../core/db/log.js';
import { stageResultDigest, type DigestSigner } from '../../core/log/digests.js';
import { extendForLateQuorum, type LateQuorumVerdict } from './late-quorum.js';

export interface TransitionScheduler {
  /** Arranges for process(proposalId) to run at `at` (durably: it survives a server restart). */
  schedule(proposalId: string, at: Date): Promise<void>;
}

export interface ExecutionEnqueuer {
  enqueue(proposalId: string): Promise<void>;
}

/**
 * Told about committed transitions (notifications). Called after the commit, never inside the
 * transaction; a listener must be quick (enqueue, don't deliver) and its failures never undo or
 * delay a transition beyond its own call.
 */
export interface LifecycleListener {
  onTransitions(proposal: ProposalRecord, transitions: TransitionRecord[]): Promise<void>;
}

export interface LifecycleDeps {
  pool: pg.Pool;
  events: EventPublisher;
  scheduler: TransitionScheduler;
  execution: ExecutionEnqueuer;
  logger: Log;
  listeners?: LifecycleListener[];
  /** Signs each final stage result with the log's tree size it was counted at (the receipt key). */
  signDigest: DigestSigner;
}

interface Applied {
  proposal: ProposalRecord;
  transitions: TransitionRecord[];
  queuedForExecution: boolean;
}

export class LifecycleEngine {
  private readonly listeners: LifecycleListener[];

  constructor(private readonly deps: LifecycleDeps) {
    this.listeners = [...(deps.listeners ?? [])];
  }

  /** Registers a listener after construction (plugins registered after governance, e.g. notifications). */
  addListener(listener: LifecycleListener): void {
    this.listeners.push(listener);
  }

  /** Applies every transition that is due now; then schedules the next one. */
  async process(proposalId: string, cause: 'schedule' | 'sweep'): Promise<void> {
    const applied = await withTransaction(this.deps.pool, async (client) => {
      await lockProposalExclusive(client, proposalId);
      const result: Applied = { proposal: null as unknown as ProposalRecord, transitions: [], queuedForExecution: false };
      // pending → temperature (→ extended) → consensus (→ extended) → closed: at most six steps in one catch-up.
      for (let step = 0; step < 6; step++) {
        const proposal = await findProposal(client, proposalId);
        if (!proposal) return null;
        result.proposal = proposal;
        const due = nextDeadline(proposal);
        const now = new Date();
        if (!due || due > now) break;
        await this.applyDue(client, proposal, now, cause, result);
      }
      return result;
    });
    if (applied) await this.afterCommit(applied);
  }

  /**
   * Moves the open stage's end if quorum was first reached late (server/lifecycle/late-quorum.ts);
   * called when an instance's live tally sees the stage reach quorum. A stage already due is left to
   * process(), which runs the same check before it closes the stage.
   */
  async checkLateQuorum(proposalId: string, stage: number): Promise<LateQuorumVerdict> {
    let verdict: LateQuorumVerdict = 'final';
    const applied = await withTransaction(this.deps.pool, async (client) => {
      await lockProposalExclusive(client, proposalId);
      const proposal = await findProposal(client, proposalId);
      const now = new Date();
      const due = proposal && nextDeadline(proposal);
      if (!proposal || proposal.state !== openStateOf(stage) || !due || due <= now) return null;
      const late = await extendForLateQuorum(client, proposal, now);
      verdict = late.verdict;
      if (late.verdict !== 'extended') return null;
      return { proposal: (await findProposal(client, proposalId))!, transitions: [late.transition], queuedForExecution: false };
    });
    if (applied) await this.afterCommit(applied);
    return verdict;
  }

  /** Publishes, schedules and enqueues what committed transitions imply. Also used by message handlers. */
  async afterCommit(applied: Applied): Promise<void> {
    const { proposal } = applied;
    for (const t of applied.transitions) {
      this.deps.logger.info({ proposalId: t.proposalId, from: t.from, to: t.to, cause: t.cause }, 'proposal transition');
      const event: LifecycleEvent = {
        kind: 'lifecycle',
        proposalId: t.proposalId,
        spaceId: proposal.spaceId,
        from: t.from,
        to: t.to,
        at: t.at.toISOString(),
        cause: t.cause,
        // The moved end travels with the event: clients need it to show the new countdown.
        ...(t.cause === 'late-quorum' && t.detail ? { detail: t.detail } : {}),
      };
      await this.deps.events.publish(event);
    }
    const next = nextDeadline(proposal);
    if (next) await this.deps.scheduler.schedule(proposal.id, next);
    if (applied.queuedForExecution) await this.deps.execution.enqueue(proposal.id);
    if (applied.transitions.length > 0) {
      for (const listener of this.listeners) {
        await listener
          .onTransitions(proposal, applied.transitions)
          .catch((error: unknown) => this.deps.logger.warn({ err: error, proposalId: proposal.id }, 'lifecycle listener failed'));
      }
    }
  }

  /** Re-reads a proposal after a message handler changed it and runs the after-commit work. */
  async afterMessage(proposalId: string, transitions: TransitionRecord[]): Promise<void> {
    const proposal = await findProposal(this.deps.pool, proposalId);
    if (proposal) await this.afterCommit({ proposal, transitions, queuedForExecution: false });
  }

  private async applyDue(client: Queryable, proposal: ProposalRecord, now: Date, cause: 'schedule' | 'sweep', result: Applied): Promise<void> {
    const base = { proposalId: proposal.id, at: now, cause } as const;
    if (proposal.state === 'pending') {
      const t: TransitionRecord = { ...base, from: 'pending', to: 'temperature' };
      if (await applyTransition(client, t)) result.transitions.push(t);
      return;
    }
    // Nothing closes without the late-quorum check: a quorum reached late moves the end instead.
    const late = await extendForLateQuorum(client, proposal, now);
    if (late.verdict === 'extended') {
      result.transitions.push(late.transition);
      return;
    }
    const stage = proposal.state === 'temperature' ? 1 : 2;
    const stageName = STAGE_NAMES[stage]!;
    const tally = await tallyStage(client, proposal, stage);
    const stageSettings = proposal.rules.settings[stageName];
    const quorum = BigInt(proposal.rules.quorum[stageName]);
    const outcome = decideOutcome(tally, { quorum, passThresholdBps: stageSettings.passThresholdBps });
    const json = tallyToJson(tally);
    // Counted at the log's latest head: under the exclusive lock every vote of the stage has
    // committed, and each vote's leaf commits with it, so the stage's votes are all among these leaves.
    const logTreeSize = await latestTreeSize(client);
    const signed = {
      votingType: tally.votingType,
      choices: tally.choices,
      scores: json.scores,
      scoresByStrategy: json.scoresByStrategy,
      totalPower: json.totalPower,
      voterCount: tally.voterCount,
      quorum: quorum.toString(),
      quorumReached: outcome.quorumReached,
      passed: outcome.passed,
      winningChoice: outcome.winningChoice,
      outcome: outcome.outcome,
    };
    const signature = this.deps.signDigest(stageResultDigest(proposal.id, stage, logTreeSize, signed));
    await client.query(
      `INSERT INTO stage_results (proposal_id, stage, voting_type, choices, scores, scores_by_strategy, total_power, voter_count,
         quorum, quorum_reached, passed, winning_choice, outcome, computed_at, log_tree_size, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        proposal.id,
        stage,
        tally.votingType,
        JSON.stringify(tally.choices),
        JSON.stringify(json.scores),
        JSON.stringify(json.scoresByStrategy),
        json.totalPower,
        tally.voterCount,
        quorum.toString(),
        outcome.quorumReached,
        outcome.passed,
        outcome.winningChoice,
        outcome.outcome,
        now,
        logTreeSize,
        signature,
      ],
    );
    const detail = { stage, outcome: outcome.outcome, totalPower: json.totalPower, voterCount: tally.voterCount, scores: json.scores };

    if (!outcome.passed) {
      const t: TransitionRecord = { ...base, from: proposal.state, to: 'defeated', detail };
      if (await applyTransition(client, t)) result.transitions.push(t);
      return;
    }
    if (stage === 1) {
      if (proposal.rules.settings.advance === 'author') {
        const t: TransitionRecord = { ...base, from: 'temperature', to: 'awaiting-advance', detail };
        if (await applyTransition(client, t)) result.transitions.push(t);
        return;
      }
      const t = { ...base, from: 'temperature', to: 'consensus', detail } as const;
      if (await openConsensus(client, proposal, t)) result.transitions.push(t);
      return;
    }
    const executable = proposal.executionMode !== '';
    const t: TransitionRecord = { ...base, from: 'consensus', to: executable ? 'queued' : 'accepted', detail };
    if (!(await applyTransition(client, t))) return;
    result.transitions.push(t);
    if (executable) {
      await queueExecution(client, proposal.id, now);
      result.queuedForExecution = true;
    }
  }
}
