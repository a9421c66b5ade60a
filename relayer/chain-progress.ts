/**
 * Warns when confirmations cannot come. A local development chain (hardhat, anvil) in automine mode
 * makes a block only when a transaction arrives: with RELAYER_CONFIRMATIONS above 1 the relayer's
 * last transaction then waits forever for the block that would confirm it. At start the relayer asks
 * the node whether it automines (hardhat_getAutomine / anvil_getAutomine; a production node knows
 * neither method, and nothing is said) and logs a warning; while it runs, a head that has not moved
 * for stallMs on such a chain is a /health warning (and one log line per stall).
 */
import type { JsonRpcProvider } from 'ethers';
import type { Log } from '../core/logger.js';

export class ChainProgressWatch {
  private automine: boolean | null = null;
  private head = -1;
  private changedAt = Date.now();
  private warnedForHead = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      provider: Pick<JsonRpcProvider, 'send' | 'getBlockNumber'>;
      confirmations: number;
      logger: Log;
      /** How long an unmoving head counts as stalled (default 30 s). */
      stallMs?: number | undefined;
      /** How often the head is read (default 5 s). */
      checkMs?: number | undefined;
    },
  ) {}

  /** Whether the node automines (null: it does not say, e.g. a production node). */
  async detectAutomine(): Promise<boolean | null> {
    for (const method of ['hardhat_getAutomine', 'anvil_getAutomine']) {
      try {
        this.automine = Boolean(await this.deps.provider.send(method, []));
        return this.automine;
      } catch {
        // unknown method: try the next, then give up
      }
    }
    this.automine = null;
    return null;
  }

  async start(): Promise<void> {
    if (this.deps.confirmations <= 1) return;
    if ((await this.detectAutomine()) === true) {
      this.deps.logger.warn(
        { confirmations: this.deps.confirmations },
        `the chain automines (a block only when a transaction arrives) and RELAYER_CONFIRMATIONS=${this.deps.confirmations}: the last transaction will wait for a block that never comes; set RELAYER_CONFIRMATIONS=1 or enable interval mining (hardhat: evm_setIntervalMining)`,
      );
      this.timer = setInterval(() => void this.check(), this.deps.checkMs ?? 5000);
      this.timer.unref();
      await this.check();
    }
  }

  /** Reads the head once; logs once per stalled head. */
  async check(now = Date.now()): Promise<void> {
    try {
      const head = await this.deps.provider.getBlockNumber();
      if (head !== this.head) {
        this.head = head;
        this.changedAt = now;
        return;
      }
      const warning = this.warning(now);
      if (warning && this.warnedForHead !== head) {
        this.warnedForHead = head;
        this.deps.logger.warn({ head, confirmations: this.deps.confirmations }, warning);
      }
    } catch {
      // the chain check of /health reports an unreachable node
    }
  }

  /** The /health warning, or null. */
  warning(now = Date.now()): string | null {
    if (this.automine !== true || this.deps.confirmations <= 1 || this.head < 0) return null;
    const stalledMs = now - this.changedAt;
    if (stalledMs < (this.deps.stallMs ?? 30_000)) return null;
    return `no new block for ${Math.round(stalledMs / 1000)} s on an automining chain with RELAYER_CONFIRMATIONS=${this.deps.confirmations}: a transaction waiting for confirmations waits until another transaction is mined; set RELAYER_CONFIRMATIONS=1 or enable interval mining`;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
