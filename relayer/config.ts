/**
 * The relayer's settings: the RELAYER_* keys of the one configuration (core/config.ts), typed for
 * use here. The relayer refuses to start without RELAYER_PRIVATE_KEY.
 */
import { ConfigError, type Config } from '../core/config.js';

export interface RelayerSettings {
  privateKey: string;
  confirmations: number;
  stuckTimeoutMs: number;
  feeBumpPercent: number;
  maxFeePerGas: bigint | null;
  lowBalanceWei: bigint;
  pollIntervalMs: number;
  rpcTimeoutMs: number;
  reconcileIntervalMs: number;
  logChunkBlocks: number;
  concurrency: number;
  jobLockMs: number;
  maxAttempts: number;
  backoffMs: number;
  /** LOG_ANCHOR_ADDRESS and LOG_ANCHOR_INTERVAL_MS; null: the log is not anchored. */
  logAnchor: { address: string; intervalMs: number } | null;
}

export function relayerSettings(config: Config): RelayerSettings {
  if (!config.RELAYER_PRIVATE_KEY)
    throw new ConfigError(['RELAYER_PRIVATE_KEY: required by the relayer (the key holding PROPOSER_ROLE and EXECUTOR_ROLE on the timelock)']);
  return {
    privateKey: config.RELAYER_PRIVATE_KEY,
    confirmations: config.RELAYER_CONFIRMATIONS,
    stuckTimeoutMs: config.RELAYER_STUCK_TX_TIMEOUT_MS,
    feeBumpPercent: config.RELAYER_FEE_BUMP_PERCENT,
    maxFeePerGas: config.RELAYER_MAX_FEE_PER_GAS_WEI ? BigInt(config.RELAYER_MAX_FEE_PER_GAS_WEI) : null,
    lowBalanceWei: BigInt(config.RELAYER_LOW_BALANCE_WEI),
    pollIntervalMs: config.RELAYER_POLL_INTERVAL_MS,
    rpcTimeoutMs: config.RELAYER_RPC_TIMEOUT_MS,
    reconcileIntervalMs: config.RELAYER_RECONCILE_INTERVAL_MS,
    logChunkBlocks: config.RELAYER_LOG_CHUNK_BLOCKS,
    concurrency: config.RELAYER_CONCURRENCY,
    jobLockMs: config.RELAYER_JOB_LOCK_MS,
    maxAttempts: config.RELAYER_MAX_ATTEMPTS,
    backoffMs: config.RELAYER_BACKOFF_MS,
    logAnchor: config.LOG_ANCHOR_ADDRESS ? { address: config.LOG_ANCHOR_ADDRESS, intervalMs: config.LOG_ANCHOR_INTERVAL_MS } : null,
  };
}
