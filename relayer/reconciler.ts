/**
 * Keeps the recorded execution status true to the chain, whoever acted on it: every
 * RELAYER_RECONCILE_INTERVAL_MS it
 *
 * 1. reads the timelock events (CallScheduled, CallExecuted, Cancelled) of the timelocks of every
 *    unfinished execution, from the block after the last one it read (kept in Redis at
 *    `<prefix>:relayer:reconciler:<chainId>:block`; without it, from the oldest snapshot block of the
 *    unfinished executions) up to the block that has RELAYER_CONFIRMATIONS confirmations, and records
 *    what they say: scheduled (tx, ETA), executed (tx, block), cancelled on chain (e.g. the guardian
 *    holding CANCELLER_ROLE). A cancelled operation's pending execute job is removed, and the steps
 *    refuse to schedule or execute it anyway. A CallScheduled that no proposal accounts for is logged
 *    as a warning: only the relayer and the Governor may schedule, so it means a leaked key.
 * 2. makes sure each unfinished execution has the job its status calls for (jobs lost with Redis are
 *    re-created), and runs a delayed execute job at once when the chain's clock passed its ready time
 *    (block time can run ahead of the wall clock, e.g. evm_increaseTime on a test chain).
 * 3. warns when the relayer's balance is below RELAYER_LOW_BALANCE_WEI (about once a minute).
 *
 * It runs in the relayer process: it needs the chain, the queue and the database, all of which the
 * relayer has; the server relays its ExecutionEvents to WebSocket subscribers through Redis.
 */
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Log } from '../core/logger.js';
import type { ChainReader } from '../core/executions/chain.js';
import { recordOperationEvents } from '../core/executions/chain-facts.js';
import { MAX_BACKOFF_MS, stepFor, type StepQueue } from '../core/executions/jobs.js';
import { executionPlan } from '../core/executions/operation.js';
import { untilChainTime } from './steps/context.js';
import { findUnfinishedExecutions, findWatchedExecutions, type ExecutionRecorder, type WatchedExecution } from '../core/executions/repository.js';

type WatchedRow = WatchedExecution;

export interface ReconcileReport {
  fromBlock: number | null;
  toBlock: number | null;
  events: number;
  unknownOperations: string[];
  jobsCreated: string[];
  jobsPromoted: string[];
}

/** Blocks read per tick at most (catching up after downtime happens over several ticks). */
const MAX_BLOCKS_PER_TICK = 200_000;
/** A finished step job whose execution is still unfinished is run again only after this long. */
const RERUN_AFTER_MS = 60_000;

export function reconcilerCursorKey(redisPrefix: string, chainId: number): string {
  return `${redisPrefix}:relayer:reconciler:${chainId}:block`;
}

export class ChainReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private ticks = 0;
  /** When the last pass of the loop finished without an error (ms since the epoch; health). */
  lastSuccessAt: number | null = null;

  constructor(
    private readonly deps: {
      pool: pg.Pool;
      chain: ChainReader;
      recorder: ExecutionRecorder;
      steps: StepQueue;
      redis: Redis;
      redisPrefix: string;
      chainId: number;
      confirmations: number;
      intervalMs: number;
      logger: Log;
      balance?: { address: string; lowWei: bigint };
    },
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const loop = () => {
      this.running = this.tick()
        .then(() => {
          this.lastSuccessAt = Date.now();
        })
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'reconcile tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.deps.intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  private async watched(): Promise<WatchedRow[]> {
    return findWatchedExecutions(this.deps.pool);
  }

  /** One pass; exposed so tests and operators can run it on demand. */
  async tick(): Promise<ReconcileReport> {
    const report: ReconcileReport = { fromBlock: null, toBlock: null, events: 0, unknownOperations: [], jobsCreated: [], jobsPromoted: [] };
    const { chain, redis } = this.deps;
    // The head is read before the rows: every operation event up to it belongs to a row that already exists.
    const head = await chain.head();
    const safeHead = head.number - (this.deps.confirmations - 1);
    const rows = await this.watched();
    const byOperation = new Map<string, WatchedRow>();
    const timelocks = new Set<string>();
    for (const row of rows) {
      try {
        const plan = executionPlan({ id: row.proposalId, title: row.title, executionMode: row.executionMode, payload: row.payload, rules: row.rules });
        byOperation.set(plan.operationId, row);
        timelocks.add(plan.timelock.toLowerCase());
      } catch {
        // not executable as stored; the steps mark it failed
      }
    }

    const cursorKey = reconcilerCursorKey(this.deps.redisPrefix, this.deps.chainId);
    const stored = await redis.get(cursorKey);
    if (byOperation.size === 0) {
      if (safeHead >= 0) await redis.set(cursorKey, String(Math.max(Number(stored ?? -1), safeHead)));
    } else {
      const oldest = Math.min(...[...byOperation.values()].map((r) => Number(r.snapshotBlock)));
      const fromBlock = stored === null ? oldest : Number(stored) + 1;
      const toBlock = Math.min(safeHead, fromBlock + MAX_BLOCKS_PER_TICK - 1);
      if (fromBlock <= toBlock) {
        report.fromBlock = fromBlock;
        report.toBlock = toBlock;
        const events = await chain.operationEvents([...timelocks], fromBlock, toBlock);
        for (const event of events) {
          const row = byOperation.get(event.operationId);
          if (!row) {
            if (event.kind === 'scheduled' && event.index === 0) {
              report.unknownOperations.push(event.operationId);
              this.deps.logger.warn(
                { operationId: event.operationId, timelock: event.timelock, txHash: event.txHash, block: event.blockNumber },
                'an operation no proposal accounts for was scheduled on a watched timelock',
              );
            }
            continue;
          }
          report.events++;
          await recordOperationEvents(this.deps, row.proposalId, [event]);
          if (event.kind === 'cancelled') {
            for (const step of ['timelock-execute', 'governor-execute'] as const) await this.deps.steps.remove(step, row.proposalId);
          }
        }
        await redis.set(cursorKey, String(toBlock));
      }
    }

    await this.ensureJobs(head, report);
    await this.deps.recorder.catchUpOutcomes();
    if (this.deps.balance && this.ticks++ % 12 === 0) await this.checkBalance();
    return report;
  }

  private async ensureJobs(head: { timestamp: number }, report: ReconcileReport): Promise<void> {
    const rows = await findUnfinishedExecutions(this.deps.pool);
    for (const row of rows) {
      const step = stepFor(row.executionMode, row.status, row.vetoed);
      if (!step) continue;
      const ready = step !== 'veto-cancel' && row.status === 'scheduled' && row.eta !== null && row.eta.getTime() <= head.timestamp * 1000;
      const job = await this.deps.steps.job(step, row.proposalId);
      const state = job ? await job.getState() : null;
      const stale = state === 'completed' && Date.now() - (job?.finishedOn ?? 0) > RERUN_AFTER_MS;
      if (!job || state === 'unknown' || stale) {
        const delay = step !== 'veto-cancel' && row.status === 'scheduled' && row.eta ? untilChainTime(row.eta.getTime() / 1000, head.timestamp) : 0;
        await this.deps.steps.enqueue(step, row.proposalId, ready ? 0 : delay, { rerun: true });
        report.jobsCreated.push(`${step}-${row.proposalId}`);
        this.deps.logger.info({ proposalId: row.proposalId, step, previous: state }, 'reconciler queued the step an unfinished execution needs');
      } else if (ready && state === 'delayed' && !(job!.attemptsMade > 0 && job!.delay <= MAX_BACKOFF_MS)) {
        // Only a job waiting for the ready time: one waiting out a retry backoff (it failed, and every
        // wait of a backoff is at most MAX_BACKOFF_MS) keeps it, or a flaky node would be retried every
        // tick and the attempts used up in a minute. Another relayer's reconciler may promote it first: fine.
        const promoted = await job!.promote().then(
          () => true,
          () => false,
        );
        if (promoted) {
          report.jobsPromoted.push(`${step}-${row.proposalId}`);
          this.deps.logger.info({ proposalId: row.proposalId, step }, 'operation ready on chain: running its execute step now');
        }
      }
    }
  }

  private async checkBalance(): Promise<void> {
    const { balance } = this.deps;
    if (!balance) return;
    const wei = await this.deps.chain.provider.getBalance(balance.address);
    if (wei < balance.lowWei)
      this.deps.logger.warn({ relayer: balance.address, balanceWei: wei.toString(), lowBalanceWei: balance.lowWei.toString() }, 'relayer balance is low');
  }

  /** Stops the loop and waits for a running tick. Safe to call twice. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
