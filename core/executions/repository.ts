/**
 * The execution status of each proposal: the `executions` row, and an ExecutionEvent on the Redis
 * events channel (core/realtime/events.ts) for WebSocket subscribers on every server instance.
 *
 *   queued ──▶ scheduled (operation id, schedule tx, ETA) ──▶ executed (tx, block)
 *     │  └──▶ voting (governor path: on-chain vote open) ──▶ scheduled
 *     └──────────────┴──────────────────────┴──▶ cancelled (on chain) | failed (reason)
 *
 * Each change is one conditional UPDATE that names the statuses it may come from, so the worker and
 * the chain-event reconciler can both report the same fact: exactly one applies it, and only that
 * one publishes the event. The chain is the authority: an operation executed or cancelled on chain
 * is recorded so whatever the row said before (a 'failed' row included).
 *
 * This module is the only code that reads or writes the `executions` table: the lifecycle inserts
 * the row (queueExecution) and marks it handed to the queue (markEnqueued), the relayer and the
 * operator tools move it through its statuses (ExecutionRecorder), and the API, the reconciler and
 * the metrics read it through the functions below.
 */
import type pg from 'pg';
import type { Queryable } from '../db/transaction.js';
import type { ExecutionPayload } from '../proposals/repository.js';
import type { ProposalRules } from '../proposals/rules.js';
import type { Log } from '../logger.js';
import type { EventPublisher, ExecutionEvent } from '../realtime/events.js';
import { recordChainOutcome, type ChainOutcome } from '../lifecycle/chain-outcome.js';

export const EXECUTION_STATUSES = ['queued', 'voting', 'scheduled', 'executed', 'cancelled', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionRow {
  proposalId: string;
  status: ExecutionStatus;
  operationId: string | null;
  scheduleTx: string | null;
  eta: Date | null;
  executeTx: string | null;
  executeBlock: string | null;
  reason: string | null;
  enqueuedAt: Date | null;
  updatedAt: Date;
  /** When the council's veto threshold was reached: the relayer cancels the operation instead of executing it. */
  vetoedAt: Date | null;
}

const COLUMNS = `proposal_id AS "proposalId", status, operation_id AS "operationId", schedule_tx AS "scheduleTx", eta,
  execute_tx AS "executeTx", execute_block::text AS "executeBlock", reason, enqueued_at AS "enqueuedAt", updated_at AS "updatedAt",
  vetoed_at AS "vetoedAt"`;

export async function findExecution(db: Pick<pg.Pool, 'query'>, proposalId: string): Promise<ExecutionRow | null> {
  const { rows } = await db.query<ExecutionRow>(`SELECT ${COLUMNS} FROM executions WHERE proposal_id = $1`, [proposalId]);
  return rows[0] ?? null;
}

export async function listExecutions(db: Pick<pg.Pool, 'query'>, filter: { statuses?: readonly string[]; limit?: number } = {}): Promise<ExecutionRow[]> {
  const { rows } = await db.query<ExecutionRow>(
    `SELECT ${COLUMNS} FROM executions WHERE ($1::text[] IS NULL OR status = ANY($1)) ORDER BY updated_at DESC LIMIT $2`,
    [filter.statuses ? [...filter.statuses] : null, filter.limit ?? 100],
  );
  return rows;
}

/**
 * A proposal that passed into 'queued' gets its execution row, in the same transaction as the
 * transition (so a crash leaves both or neither). A second call for the same proposal does nothing.
 */
export async function queueExecution(db: Queryable, proposalId: string, at: Date): Promise<void> {
  await db.query(`INSERT INTO executions (proposal_id, status, updated_at) VALUES ($1, 'queued', $2) ON CONFLICT (proposal_id) DO NOTHING`, [proposalId, at]);
}

/** The execution job was added to the queue: the lifecycle sweeper stops re-adding it. */
export async function markEnqueued(db: Pick<pg.Pool, 'query'>, proposalId: string): Promise<void> {
  await db.query('UPDATE executions SET enqueued_at = now() WHERE proposal_id = $1 AND enqueued_at IS NULL', [proposalId]);
}

/**
 * The council's threshold of vetoes was reached (in the Veto message's transaction): from now on the
 * relayer's step for this execution is veto-cancel. Only an unfinished execution can be vetoed, once;
 * returns whether this call marked it.
 */
export async function markVetoed(db: Queryable, proposalId: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE executions SET vetoed_at = $2, updated_at = $2 WHERE proposal_id = $1 AND vetoed_at IS NULL AND status IN ('queued', 'voting', 'scheduled')`,
    [proposalId, at],
  );
  return rowCount === 1;
}

/** Queued executions whose job was never added (the process stopped between commit and queue). */
export async function findUnenqueued(db: Pick<pg.Pool, 'query'>, limit = 100): Promise<string[]> {
  const { rows } = await db.query<{ proposal_id: string }>(`SELECT proposal_id FROM executions WHERE status = 'queued' AND enqueued_at IS NULL LIMIT $1`, [
    limit,
  ]);
  return rows.map((row) => row.proposal_id);
}

/** An unfinished (or failed) execution with what its operation id is derived from. */
export interface WatchedExecution {
  proposalId: string;
  status: ExecutionStatus;
  eta: Date | null;
  executionMode: string;
  snapshotBlock: string;
  title: string;
  payload: ExecutionPayload | null;
  rules: ProposalRules;
}

/** Executions whose operation the reconciler watches on chain: queued, voting, scheduled and failed. */
export async function findWatchedExecutions(db: Pick<pg.Pool, 'query'>): Promise<WatchedExecution[]> {
  const { rows } = await db.query<WatchedExecution>(
    `SELECT e.proposal_id AS "proposalId", e.status, e.eta, p.execution_mode AS "executionMode", p.snapshot_block::text AS "snapshotBlock",
            p.title, p.payload, p.rules
       FROM executions e JOIN proposals p ON p.id = e.proposal_id
      WHERE e.status IN ('queued', 'voting', 'scheduled', 'failed')
      ORDER BY e.updated_at LIMIT 2000`,
  );
  return rows;
}

/** Executions that still need a step (queued, voting, scheduled), oldest change first. */
export async function findUnfinishedExecutions(
  db: Pick<pg.Pool, 'query'>,
): Promise<(Pick<WatchedExecution, 'proposalId' | 'status' | 'eta' | 'executionMode'> & { vetoed: boolean })[]> {
  const { rows } = await db.query<Pick<WatchedExecution, 'proposalId' | 'status' | 'eta' | 'executionMode'> & { vetoed: boolean }>(
    `SELECT e.proposal_id AS "proposalId", e.status, e.eta, p.execution_mode AS "executionMode", e.vetoed_at IS NOT NULL AS vetoed
       FROM executions e JOIN proposals p ON p.id = e.proposal_id
      WHERE e.status IN ('queued', 'voting', 'scheduled') ORDER BY e.updated_at LIMIT 500`,
  );
  return rows;
}

/** How many executions are in each status (decimal strings; statuses with none are absent). */
export async function countExecutionsByStatus(db: Pick<pg.Pool, 'query'>): Promise<Map<string, string>> {
  const { rows } = await db.query<{ status: string; n: string }>('SELECT status, count(*)::text AS n FROM executions GROUP BY status');
  return new Map(rows.map((r) => [r.status, r.n]));
}

export class ExecutionRecorder {
  constructor(private readonly deps: { pool: pg.Pool; events: EventPublisher; logger: Log }) {}

  /** Applies one conditional update; publishes the event when this call made the change. */
  private async apply(
    proposalId: string,
    to: ExecutionStatus,
    from: readonly ExecutionStatus[],
    set: Record<string, unknown>,
    detail: Record<string, unknown>,
  ): Promise<boolean> {
    const columns = Object.keys(set);
    const assignments = columns.map((column, i) => `${column} = $${i + 4}`).join(', ');
    const { rows } = await this.deps.pool.query<{ spaceId: string }>(
      `UPDATE executions e SET status = $2, updated_at = now()${assignments ? `, ${assignments}` : ''}
         FROM proposals p
        WHERE e.proposal_id = $1 AND p.id = e.proposal_id AND e.status = ANY($3)
        RETURNING p.space_id AS "spaceId"`,
      [proposalId, to, [...from], ...columns.map((c) => set[c])],
    );
    const row = rows[0];
    if (!row) return false;
    this.deps.logger.info({ proposalId, status: to, ...detail }, 'execution status');
    const event: ExecutionEvent = { kind: 'execution', proposalId, spaceId: row.spaceId, status: to, detail };
    await this.deps.events.publish(event).catch((error: unknown) => this.deps.logger.warn({ err: error, proposalId }, 'could not publish the execution event'));
    // The proposal's lifecycle ends with what the chain did (a missed one is caught up by catchUpOutcomes).
    if (to === 'executed' || to === 'cancelled') await this.outcome(proposalId, to, detail);
    return true;
  }

  /** Moves the proposal from `queued` to its on-chain outcome (core/lifecycle/chain-outcome.ts); never throws. */
  async outcome(proposalId: string, to: ChainOutcome, detail: Record<string, unknown>): Promise<boolean> {
    return recordChainOutcome(this.deps, proposalId, to, detail).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, proposalId, to }, 'could not record the proposal outcome; the reconciler retries');
      return false;
    });
  }

  /** Proposals still `queued` whose execution already ended executed or cancelled (a missed outcome, or rows from before outcomes were recorded). */
  async catchUpOutcomes(): Promise<number> {
    const { rows } = await this.deps.pool.query<{ proposalId: string; status: 'executed' | 'cancelled'; executeTx: string | null; reason: string | null }>(
      `SELECT p.id AS "proposalId", e.status, e.execute_tx AS "executeTx", e.reason FROM proposals p JOIN executions e ON e.proposal_id = p.id
        WHERE p.state = 'queued' AND e.status IN ('executed', 'cancelled') LIMIT 100`,
    );
    let applied = 0;
    for (const row of rows) {
      if (
        await this.outcome(row.proposalId, row.status, {
          caughtUp: true,
          ...(row.executeTx ? { txHash: row.executeTx } : {}),
          ...(row.reason ? { reason: row.reason } : {}),
        })
      )
        applied++;
    }
    return applied;
  }

  /** Governor path: the proposal is on the Governor and its on-chain vote is pending or open. */
  voting(
    proposalId: string,
    detail: { operationId: string; governorProposalId: string; proposeTx?: string | null; voteStart?: string; voteEnd?: string },
  ): Promise<boolean> {
    return this.apply(proposalId, 'voting', ['queued'], { operation_id: detail.operationId, reason: null }, { ...detail });
  }

  scheduled(proposalId: string, detail: { operationId: string; scheduleTx: string | null; eta: Date; source: 'relayer' | 'chain' }): Promise<boolean> {
    return this.apply(
      proposalId,
      'scheduled',
      // Not from 'failed': a failed execution stays failed until an operator reopens it (reopen()).
      ['queued', 'voting'],
      { operation_id: detail.operationId, schedule_tx: detail.scheduleTx, eta: detail.eta, reason: null },
      { operationId: detail.operationId, txHash: detail.scheduleTx, eta: detail.eta.toISOString(), source: detail.source },
    );
  }

  /** Fills a scheduled row's transaction hash when it was recorded without one (found later in the logs). */
  async fillScheduleTx(proposalId: string, scheduleTx: string): Promise<void> {
    await this.deps.pool.query(`UPDATE executions SET schedule_tx = $2, updated_at = now() WHERE proposal_id = $1 AND schedule_tx IS NULL`, [
      proposalId,
      scheduleTx,
    ]);
  }

  executed(proposalId: string, detail: { operationId: string; executeTx: string; executeBlock: number; source: 'relayer' | 'chain' }): Promise<boolean> {
    return this.apply(
      proposalId,
      'executed',
      ['queued', 'voting', 'scheduled', 'failed', 'cancelled'],
      { operation_id: detail.operationId, execute_tx: detail.executeTx, execute_block: String(detail.executeBlock), reason: null },
      { operationId: detail.operationId, txHash: detail.executeTx, block: detail.executeBlock, source: detail.source },
    );
  }

  cancelled(proposalId: string, detail: { operationId: string | null; txHash: string | null; reason: string; source: 'relayer' | 'chain' }): Promise<boolean> {
    return this.apply(
      proposalId,
      'cancelled',
      ['queued', 'voting', 'scheduled', 'failed'],
      { reason: detail.reason, ...(detail.operationId ? { operation_id: detail.operationId } : {}) },
      { operationId: detail.operationId, txHash: detail.txHash, reason: detail.reason, source: detail.source },
    );
  }

  failed(proposalId: string, reason: string): Promise<boolean> {
    return this.apply(proposalId, 'failed', ['queued', 'voting', 'scheduled'], { reason: reason.slice(0, 2000) }, { reason: reason.slice(0, 2000) });
  }

  /** Operator retry: a failed execution goes back to what the chain says it is (queued, voting or scheduled). */
  reopen(proposalId: string, to: 'queued' | 'voting' | 'scheduled'): Promise<boolean> {
    return this.apply(proposalId, to, ['failed'], { reason: null }, { reopened: true });
  }
}
