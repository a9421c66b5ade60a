/**
 * On-chain anchoring of the message log (docs/api.md, "On-chain anchoring"): a BullMQ job scheduler
 * on the `log-anchor` queue runs one job every LOG_ANCHOR_INTERVAL_MS. The job reads the server's
 * latest signed tree head from the database (log_tree_heads, written by every append) and, when it is
 * larger than the size the LogAnchor contract at LOG_ANCHOR_ADDRESS holds, posts it with
 * `anchor(treeSize, rootHash, timestamp, signature)`.
 *
 * Exactly once per head, across restarts and several relayers:
 * - the contract's `latestTreeSize` is read before every post (the chain, not this process, says what
 *   is anchored), and the contract refuses a size that is not larger;
 * - the transaction goes through the relayer's TxSender under one fixed key, so its signed form is in
 *   Redis before the broadcast: a relayer killed mid-send resumes (or follows) that same transaction on
 *   its next tick instead of sending another, and the nonce comes from the relayer's one sequence;
 * - BullMQ's scheduler keeps one job per interval for all relayers sharing the Redis prefix.
 * Nothing is sent when the log did not grow.
 */
import { Queue, Worker } from 'bullmq';
import { getAddress, Interface } from 'ethers';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { JsonRpcProvider } from 'ethers';
import type { Log } from '../core/logger.js';
import { ConfigError } from '../core/config.js';
import { QUEUE_NAMES } from '../core/queues.js';
import { closeQueueComponent } from '../core/queue-close.js';
import { latestTreeHead, type TreeHeadRow } from '../core/db/log.js';
import { PermanentError, TransientError } from '../core/executions/errors.js';
import type { TxSender } from './tx-sender.js';

export const LOG_ANCHOR_ABI = [
  'function submitter() view returns (address)',
  'function latestTreeSize() view returns (uint64)',
  'function latestRootHash() view returns (bytes32)',
  'function latestTimestamp() view returns (uint64)',
  'function anchor(uint64 treeSize, bytes32 rootHash, uint64 timestamp, bytes signature)',
  'event TreeHeadAnchored(uint64 indexed treeSize, bytes32 rootHash, uint64 timestamp, bytes signature)',
  'error NotSubmitter(address caller)',
  'error TreeSizeNotIncreasing(uint64 treeSize, uint64 latestTreeSize)',
] as const;

export const logAnchorInterface = new Interface(LOG_ANCHOR_ABI);

/** The job scheduler's id and its jobs' name on the `log-anchor` queue. */
export const LOG_ANCHOR_SCHEDULER = 'log-anchor';

/** What one tick did. */
export type AnchorTick =
  | { kind: 'anchored'; treeSize: number; previous: number; txHash: string; blockNumber: number; resumed: boolean }
  | { kind: 'up-to-date'; treeSize: number; anchored: number }
  | { kind: 'empty-log' };

/** The anchoring job as /health and /metrics see it. */
export interface LogAnchorStatus {
  running: boolean;
  startedAt: number;
  intervalMs: number;
  /** When a tick last finished without an error (ms since the epoch), null before the first. */
  lastSuccessAt: number | null;
  /** The size the contract held at the last successful tick (what it anchored then, or found anchored). */
  anchoredTreeSize: number | null;
  failures: number;
  lastFailure: string | null;
}

export interface LogAnchorDeps {
  pool: pg.Pool;
  provider: JsonRpcProvider;
  sender: TxSender;
  /** A Redis connection of its own (BullMQ queue and worker; maxRetriesPerRequest null). */
  connection: Redis;
  logger: Log;
  settings: { address: string; intervalMs: number; prefix: string; chainId: number };
}

export class LogAnchorJob {
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private closing: Promise<void> | undefined;
  /** The last tick this process finished, and how many (read by tests). */
  lastTick: { at: number; result: AnchorTick } | null = null;
  ticks = 0;
  /** Ticks that failed since start (each is retried at the next interval), and the last one's reason. */
  failures = 0;
  lastFailure: string | null = null;
  private startedAt: number | null = null;

  constructor(private readonly deps: LogAnchorDeps) {}

  /** The TxSender key of the anchor transaction: one in flight at a time, per chain and contract. */
  get txKey(): string {
    return `log-anchor:${this.deps.settings.chainId}:${this.deps.settings.address.toLowerCase()}`;
  }

  /**
   * Checks the contract (code at the address, this relayer its submitter: a ConfigError naming
   * LOG_ANCHOR_ADDRESS otherwise, rather than a refused transaction every interval), registers the
   * scheduler (idempotent: every relayer does it) and starts consuming its jobs.
   */
  async start(): Promise<void> {
    if (this.worker || this.closing) return;
    const { connection, settings, logger } = this.deps;
    const answer = await this.deps.provider.call({ to: settings.address, data: logAnchorInterface.encodeFunctionData('submitter') });
    if (answer === '0x') throw new ConfigError([`LOG_ANCHOR_ADDRESS: no contract at ${settings.address} on chain ${settings.chainId}`]);
    const submitter = getAddress(String(logAnchorInterface.decodeFunctionResult('submitter', answer)[0]));
    if (submitter !== getAddress(this.deps.sender.address))
      throw new ConfigError([
        `LOG_ANCHOR_ADDRESS: the LogAnchor at ${settings.address} takes anchors from ${submitter} only, not from this relayer (${getAddress(this.deps.sender.address)})`,
      ]);
    this.queue = new Queue(QUEUE_NAMES.logAnchor, { connection, prefix: settings.prefix });
    await this.queue.upsertJobScheduler(
      LOG_ANCHOR_SCHEDULER,
      { every: settings.intervalMs },
      { name: LOG_ANCHOR_SCHEDULER, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
    this.worker = new Worker(QUEUE_NAMES.logAnchor, () => this.tick(), { connection, prefix: settings.prefix, concurrency: 1 });
    this.worker.on('error', (error) => logger.warn({ err: error }, 'log anchor worker error'));
    this.worker.on('failed', (job, error) => {
      this.failures++;
      this.lastFailure = error.message.slice(0, 200);
      logger.warn({ jobId: job?.id, err: error.message }, 'log anchor tick failed; the next interval tries again');
    });
    this.startedAt = Date.now();
    logger.info({ logAnchor: settings.address, intervalMs: settings.intervalMs }, 'log anchoring on');
  }

  private async anchoredSize(): Promise<number> {
    const data = logAnchorInterface.encodeFunctionData('latestTreeSize');
    const answer = await this.deps.provider.call({ to: this.deps.settings.address, data }).catch((error: unknown) => {
      throw new TransientError(`LogAnchor.latestTreeSize() at ${this.deps.settings.address} failed`, { cause: error });
    });
    if (answer === '0x') throw new PermanentError(`no LogAnchor contract at ${this.deps.settings.address} (LOG_ANCHOR_ADDRESS)`, 'no-contract');
    return Number(logAnchorInterface.decodeFunctionResult('latestTreeSize', answer)[0] as bigint);
  }

  /** One pass: finish a transaction a previous run left in flight, then anchor the latest head if the log grew. */
  async tick(): Promise<AnchorTick> {
    const { sender, logger } = this.deps;
    const pending = await sender.pending(this.txKey);
    if (pending?.raw && pending.data) {
      // A previous run (this process or a dead one) signed an anchor: follow that transaction, never a second one.
      const [treeSize] = logAnchorInterface.decodeFunctionData('anchor', pending.data);
      const result = await this.post(Number(treeSize as bigint), pending.data, true);
      if (result) return this.done(result);
    }
    const head = await latestTreeHead(this.deps.pool);
    if (!head) return this.done({ kind: 'empty-log' });
    const anchored = await this.anchoredSize();
    if (head.treeSize <= anchored) {
      logger.debug({ treeSize: head.treeSize, anchored }, 'log anchor up to date');
      return this.done({ kind: 'up-to-date', treeSize: head.treeSize, anchored });
    }
    const result = await this.post(head.treeSize, anchorCalldata(head), false, anchored);
    if (result) return this.done(result);
    // Refused because another runner anchored it meanwhile: the chain is up to date.
    const now = await this.anchoredSize();
    return this.done({ kind: 'up-to-date', treeSize: head.treeSize, anchored: now });
  }

  /** Sends (or resumes) the anchor transaction; null when the contract refuses it because the chain already holds that size. */
  private async post(treeSize: number, data: string, resumed: boolean, previous?: number): Promise<AnchorTick | null> {
    const { sender, logger, settings } = this.deps;
    let outcome;
    try {
      outcome = await sender.send({ key: this.txKey, to: settings.address, data, label: `LogAnchor.anchor(${treeSize})` });
    } catch (error) {
      if (error instanceof PermanentError && (await this.anchoredSize()) >= treeSize) {
        logger.info({ treeSize }, 'tree head already anchored (by another relayer): nothing sent');
        return null;
      }
      throw error;
    }
    await sender.forget(this.txKey);
    if (outcome.status === 'superseded') throw new TransientError(`the anchor transaction's nonce ${outcome.nonce} was used by another transaction; retrying`);
    if (outcome.status === 'reverted') {
      if ((await this.anchoredSize()) >= treeSize) {
        logger.info({ treeSize, txHash: outcome.hash }, 'anchor transaction reverted: that size was anchored meanwhile');
        return null;
      }
      throw new TransientError(`the anchor transaction ${outcome.hash} reverted`);
    }
    const result: AnchorTick = {
      kind: 'anchored',
      treeSize,
      previous: previous ?? -1,
      txHash: outcome.hash,
      blockNumber: outcome.receipt.blockNumber,
      resumed,
    };
    logger.info(
      { logAnchor: settings.address, treeSize, previous: result.previous, txHash: outcome.hash, block: outcome.receipt.blockNumber, resumed },
      'tree head anchored on chain',
    );
    return result;
  }

  private done(result: AnchorTick): AnchorTick {
    this.lastTick = { at: Date.now(), result };
    this.ticks++;
    return result;
  }

  /** True while the worker is started and not closed (health). */
  isRunning(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  /** What /health and /metrics report (relayer/metrics.ts). */
  status(): LogAnchorStatus {
    const last = this.lastTick?.result;
    return {
      running: this.isRunning(),
      startedAt: this.startedAt ?? Date.now(),
      intervalMs: this.deps.settings.intervalMs,
      lastSuccessAt: this.lastTick?.at ?? null,
      anchoredTreeSize: !last ? null : last.kind === 'anchored' ? last.treeSize : last.kind === 'up-to-date' ? last.anchored : 0,
      failures: this.failures,
      lastFailure: this.lastFailure,
    };
  }

  /** Stops taking jobs, waits for a running tick, closes the queue. The scheduler stays in Redis for the next start. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.worker) await closeQueueComponent(this.worker, this.deps.logger);
      if (this.queue) await closeQueueComponent(this.queue, this.deps.logger);
    })();
    return this.closing;
  }
}

/** The calldata of anchor(head): the head exactly as the server signed and published it. */
export function anchorCalldata(head: TreeHeadRow): string {
  return logAnchorInterface.encodeFunctionData('anchor', [head.treeSize, `0x${head.rootHash.toString('hex')}`, head.timestamp, head.signature]);
}
