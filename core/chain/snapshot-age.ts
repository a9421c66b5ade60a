/**
 * How old a proposal's snapshot block may be. A space sets `maxSnapshotAge` in blocks; without it
 * the limit is the chain's blocks in one hour, from the average block time over the last
 * BLOCK_TIME_SAMPLE blocks (docs/api.md, space settings).
 */
import type { JsonRpcProvider } from 'ethers';
import { BLOCK_TIME_SAMPLE } from './chain-info.js';

/** The default window, in seconds of chain time. */
export const DEFAULT_SNAPSHOT_WINDOW_S = 3600;
/**
 * Bounds of the default, in blocks. Timestamps have one-second resolution, so a development chain
 * mining many blocks a second averages 0 s (the floor of 100 ms caps it at 36,000 blocks); a clock
 * jumped forward (evm_increaseTime) inflates the average, and the default never drops below 10 blocks.
 */
const MIN_BLOCK_TIME_MS = 100;
export const MIN_DEFAULT_SNAPSHOT_AGE = 10;

/** Blocks in DEFAULT_SNAPSHOT_WINDOW_S at an average block time (ms). */
export function blocksPerWindow(averageBlockTimeMs: number): number {
  const blocks = Math.ceil((DEFAULT_SNAPSHOT_WINDOW_S * 1000) / Math.max(averageBlockTimeMs, MIN_BLOCK_TIME_MS));
  return Math.max(blocks, MIN_DEFAULT_SNAPSHOT_AGE);
}

export interface OldestSnapshot {
  /** The oldest block a snapshot may be (never below 0). */
  block: number;
  maxAge: number;
  /** Where maxAge came from, for the refusal's message. */
  source: 'maxSnapshotAge' | 'default: blocks in one hour';
}

/**
 * The oldest snapshot block allowed when the latest block is `latest`, or null when `snapshot` is
 * recent enough under any default (then no block is read). Reads two blocks only when the space
 * sets no maxSnapshotAge.
 */
export async function snapshotTooOld(
  provider: Pick<JsonRpcProvider, 'getBlock'>,
  latest: number,
  snapshot: number,
  maxSnapshotAge: number | undefined,
): Promise<OldestSnapshot | null> {
  const oldest = await oldestSnapshotAllowed(provider, latest, snapshot, maxSnapshotAge);
  return oldest && snapshot < oldest.block ? oldest : null;
}

async function oldestSnapshotAllowed(
  provider: Pick<JsonRpcProvider, 'getBlock'>,
  latest: number,
  snapshot: number,
  maxSnapshotAge: number | undefined,
): Promise<OldestSnapshot | null> {
  if (maxSnapshotAge !== undefined) return { block: Math.max(0, latest - maxSnapshotAge), maxAge: maxSnapshotAge, source: 'maxSnapshotAge' };
  if (latest - snapshot <= MIN_DEFAULT_SNAPSHOT_AGE) return null;
  const sample = Math.min(BLOCK_TIME_SAMPLE, latest);
  let maxAge = blocksPerWindow(0);
  if (sample > 0) {
    const [head, earlier] = await Promise.all([provider.getBlock(latest), provider.getBlock(latest - sample)]);
    if (!head || !earlier) throw new Error(`the chain node returned no block ${head ? latest - sample : latest}`);
    maxAge = blocksPerWindow(((head.timestamp - earlier.timestamp) * 1000) / sample);
  }
  return { block: Math.max(0, latest - maxAge), maxAge, source: 'default: blocks in one hour' };
}
