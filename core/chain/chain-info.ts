/**
 * What the pages need to turn block numbers into times and to pick a snapshot: the latest block,
 * the recent average block time, and a settled block to use as a proposal's snapshot. Read from the
 * chain at most once every `ttlMs`; concurrent requests share the read.
 */
import type { JsonRpcProvider } from 'ethers';

export interface ChainInfo {
  chainId: number;
  latest: { number: string; timestamp: number };
  /** Average over the last `sampleBlocks` blocks, in ms; null when the chain has too few blocks. */
  averageBlockTimeMs: number | null;
  sampleBlocks: number;
  /** latest − SETTLED_DEPTH (at least 0): a mined block strictly before the latest, which a new proposal may use as its snapshot. */
  settledBlock: string;
  /** When this was read from the chain (ms since the epoch). */
  readAt: number;
}

/** Blocks averaged over for the block time. */
export const BLOCK_TIME_SAMPLE = 100;
/** How far behind the latest block the suggested snapshot is: the server requires snapshot < latest. */
export const SETTLED_DEPTH = 2;

export class ChainInfoCache {
  private current: { info: ChainInfo; at: number } | null = null;
  private pending: Promise<ChainInfo> | null = null;
  /** Chain reads made so far (tests assert the cache works). */
  reads = 0;

  constructor(
    private readonly provider: Pick<JsonRpcProvider, 'getBlock'>,
    private readonly chainId: number,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<ChainInfo> {
    if (this.current && this.now() - this.current.at < this.ttlMs) return Promise.resolve(this.current.info);
    if (!this.pending) {
      this.pending = this.read()
        .then((info) => {
          this.current = { info, at: this.now() };
          return info;
        })
        .finally(() => {
          this.pending = null;
        });
    }
    return this.pending;
  }

  private async read(): Promise<ChainInfo> {
    this.reads++;
    const latest = await this.provider.getBlock('latest');
    if (!latest) throw new Error('the chain node returned no latest block');
    const sampleBlocks = Math.min(BLOCK_TIME_SAMPLE, latest.number);
    let averageBlockTimeMs: number | null = null;
    if (sampleBlocks > 0) {
      const earlier = await this.provider.getBlock(latest.number - sampleBlocks);
      if (earlier) averageBlockTimeMs = Math.round(((latest.timestamp - earlier.timestamp) * 1000) / sampleBlocks);
    }
    return {
      chainId: this.chainId,
      latest: { number: String(latest.number), timestamp: latest.timestamp },
      averageBlockTimeMs,
      sampleBlocks,
      settledBlock: String(Math.max(0, latest.number - SETTLED_DEPTH)),
      readAt: this.now(),
    };
  }
}
