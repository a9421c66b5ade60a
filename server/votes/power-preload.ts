/**
 * Computes the voting power of a proposal's likely voters before they vote, so that a vote waits
 * only for its own write, not for a chain read. Power at a past snapshot never changes, so this is
 * a cache fill: each strategy names its likely holders (a token's Transfer recipients or
 * delegates, from eth_getLogs up to the snapshot), their power is computed through the same
 * strategies in Multicall3 batches, and the results go into VotingPowerService's memory.
 * An address left out, or a preload that failed, only means that vote computes its power itself.
 *
 * Each server instance preloads a proposal once: when the proposal is created through it, or at
 * the first vote it sees for it (after a restart, or on another instance). Runs go one at a time,
 * so several proposals opening together do not flood the node.
 */
import { LogAddressScanner } from '../../core/chain/log-addresses.js';
import type { JsonRpcSender } from '../../core/chain/multicall.js';
import { likelyHolders } from '../../strategies/index.js';
import type { Log } from '../../core/logger.js';
import type { PowerSubject, VoterPower, VotingPowerService } from './voting-power.js';

export type PreloadState = 'off' | 'idle' | 'queued' | 'running' | 'ready' | 'failed';

export interface PreloadStatus {
  state: PreloadState;
  /** Likely holders found. */
  holders: number;
  /** Of those, whose power is computed so far. */
  computed: number;
  /** False when the holder search stopped at POWER_PRELOAD_MAX_HOLDERS. */
  complete: boolean;
  logRequests: number;
  /** Duration of the run so far, in milliseconds. */
  ms: number;
  error?: string;
}

export interface PowerPreloadOptions {
  /** 0 turns preloading off. */
  maxHolders: number;
  /** Blocks before the snapshot searched when a strategy names no start block. */
  scanBlocks: number;
  logChunkBlocks: number;
}

function emptyStatus(state: PreloadState): PreloadStatus {
  return { state, holders: 0, computed: 0, complete: false, logRequests: 0, ms: 0 };
}

/** Addresses per power computation: a few Multicall3 eth_calls, so votes' own loads interleave. */
const COMPUTE_CHUNK = 4000;

interface Run {
  subject: PowerSubject & { id: string };
  status: PreloadStatus;
  startedAt: number;
}

export class PowerPreloader {
  private readonly runs = new Map<string, Run>();
  private readonly queue: Run[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly deps: {
      power: VotingPowerService;
      reads: JsonRpcSender;
      options: PowerPreloadOptions;
      logger: Log;
    },
  ) {}

  /** Starts preloading a proposal unless this instance already did (cheap enough to call per vote). */
  ensure(subject: PowerSubject & { id: string }): void {
    if (this.closed || this.deps.options.maxHolders === 0 || this.runs.has(subject.id)) return;
    const run: Run = {
      subject,
      startedAt: Date.now(),
      status: emptyStatus('queued'),
    };
    this.runs.set(subject.id, run);
    this.queue.push(run);
    this.running ??= this.drain();
  }

  status(proposalId: string): PreloadStatus {
    if (this.deps.options.maxHolders === 0) return emptyStatus('off');
    const run = this.runs.get(proposalId);
    if (!run) return emptyStatus('idle');
    const ms = run.status.state === 'running' ? Date.now() - run.startedAt : run.status.ms;
    return { ...run.status, ms };
  }

  /** For /metrics: this instance's preload runs by state (all zero when preloading is off). */
  summary(): { byState: Record<string, number>; holders: number; computed: number } {
    const byState: Record<string, number> = { queued: 0, running: 0, ready: 0, failed: 0 };
    let holders = 0;
    let computed = 0;
    for (const run of this.runs.values()) {
      byState[run.status.state] = (byState[run.status.state] ?? 0) + 1;
      holders += run.status.holders;
      computed += run.status.computed;
    }
    return { byState, holders, computed };
  }

  /** Stops after the chunk in flight and waits for it; safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let run = this.queue.shift(); run && !this.closed; run = this.queue.shift()) await this.preload(run);
    } finally {
      this.running = null;
    }
  }

  private async preload(run: Run): Promise<void> {
    const { power, options, logger } = this.deps;
    const { subject, status } = run;
    run.startedAt = Date.now();
    status.state = 'running';
    const logs = new LogAddressScanner(this.deps.reads, { chunkBlocks: options.logChunkBlocks, maxAddresses: options.maxHolders });
    const scanFrom = subject.snapshotBlock - BigInt(options.scanBlocks) + 1n;
    try {
      const holders = await likelyHolders({ ...power.strategyContext(subject), logs, scanFromBlock: scanFrom > 0n ? scanFrom : 0n }, subject.strategies);
      status.logRequests = logs.requests;
      status.holders = holders.size;
      status.complete = holders.size < options.maxHolders;
      const addresses = [...holders];
      for (let start = 0; start < addresses.length && !this.closed; start += COMPUTE_CHUNK) {
        const chunk = addresses.slice(start, start + COMPUTE_CHUNK);
        const powers = await power.compute(subject, chunk);
        power.remember(
          subject.id,
          chunk.map((address, i): [string, VoterPower] => [address, powers[i]!]),
        );
        status.computed += chunk.length;
      }
      status.state = status.computed === addresses.length ? 'ready' : 'failed';
      if (status.state === 'failed') status.error = 'stopped: the server is shutting down';
    } catch (error) {
      status.state = 'failed';
      status.error = error instanceof Error ? error.message : String(error);
      logger.warn({ err: error, proposalId: subject.id }, 'voting power preload failed; votes compute their own power');
    }
    status.ms = Date.now() - run.startedAt;
    logger.info({ proposalId: subject.id, ...status }, 'voting power preload finished');
  }
}
