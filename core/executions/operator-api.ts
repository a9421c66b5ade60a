/**
 * The operator functions (operator.ts) bound to their dependencies, for the tools that hold no relayer
 * key: the server's admin endpoints (server/routes/operator.ts) and `npm run relayer:cli` (cli.ts).
 * They read the same PostgreSQL, Redis queue and chain as the relayer; a dry run simulates from the
 * relayer's address (RELAYER_ADDRESS, or the address of RELAYER_PRIVATE_KEY when that is set).
 */
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { Config } from '../config.js';
import type { Log } from '../logger.js';
import type { ExecutionJobData } from '../queues.js';
import { EventPublisher, eventsChannel } from '../realtime/events.js';
import { ChainReader } from './chain.js';
import { classifyError, PermanentError } from './errors.js';
import { StepQueue } from './jobs.js';
import * as operator from './operator.js';
import { ExecutionRecorder } from './repository.js';
import { pendingTxKey, type PendingTx, type PendingTxReader } from './pending-tx.js';

export interface OperatorApi {
  getStatus(proposalId: string): Promise<operator.ExecutionStatusReport>;
  list(filter?: { statuses?: string[]; limit?: number }): ReturnType<typeof operator.list>;
  dryRun(proposalId: string): Promise<operator.DryRunReport>;
  retry(proposalId: string): ReturnType<typeof operator.retry>;
  cancelJob(proposalId: string): ReturnType<typeof operator.cancelJob>;
}

export function bindOperator(deps: operator.OperatorDeps): OperatorApi {
  return {
    getStatus: (id) => operator.getStatus(deps, id),
    list: (filter) => operator.list(deps, filter),
    dryRun: (id) => operator.dryRun(deps, id),
    retry: (id) => operator.retry(deps, id),
    cancelJob: (id) => operator.cancelJob(deps, id),
  };
}

/** RELAYER_ADDRESS, else the address of RELAYER_PRIVATE_KEY, else null. */
export function relayerAddressOf(config: Pick<Config, 'RELAYER_ADDRESS' | 'RELAYER_PRIVATE_KEY'>): string | null {
  if (config.RELAYER_ADDRESS) return config.RELAYER_ADDRESS;
  return config.RELAYER_PRIVATE_KEY ? new Wallet(config.RELAYER_PRIVATE_KEY).address : null;
}

/** The part of TxSender operator tools use, without a key: in-flight records and simulations from the relayer's address. */
function readOnlySender(deps: { provider: JsonRpcProvider; redis: Redis; redisPrefix: string; address: string | null }): PendingTxReader {
  return {
    async pending(key: string): Promise<PendingTx | null> {
      const raw = await deps.redis.get(pendingTxKey(deps.redisPrefix, key));
      return raw ? (JSON.parse(raw) as PendingTx) : null;
    },
    async simulate(intent) {
      if (!deps.address)
        throw new PermanentError("set RELAYER_ADDRESS (or RELAYER_PRIVATE_KEY) so the simulation runs from the relayer's address", 'no-relayer-address');
      const request = { from: deps.address, to: intent.to, data: intent.data, value: intent.value ?? 0n };
      try {
        await deps.provider.call(request);
        return await deps.provider.estimateGas(request);
      } catch (error) {
        throw classifyError(error);
      }
    },
  };
}

/** Operator dependencies on connections the caller owns (and closes). */
export function operatorDeps(options: {
  config: Config;
  pool: pg.Pool;
  queue: Queue<ExecutionJobData>;
  redis: Redis;
  provider: JsonRpcProvider;
  logger: Log;
}): operator.OperatorDeps {
  const { config, pool, queue, redis, provider, logger } = options;
  return {
    pool,
    chain: new ChainReader(provider, config.RELAYER_LOG_CHUNK_BLOCKS),
    steps: new StepQueue(queue, { attempts: config.RELAYER_MAX_ATTEMPTS, backoffMs: config.RELAYER_BACKOFF_MS }),
    recorder: new ExecutionRecorder({ pool, events: new EventPublisher(redis, eventsChannel(config.REDIS_PREFIX)), logger }),
    sender: readOnlySender({ provider, redis, redisPrefix: config.REDIS_PREFIX, address: relayerAddressOf(config) }),
  };
}

/** JSON-safe form of a report: Dates as ISO strings, bigints as decimal strings. */
export function toJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}
