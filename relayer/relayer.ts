/**
 * Builds a relayer from the configuration: chain connection, database pool, Redis connections, the
 * nonce manager and transaction sender for the relayer key, the status recorder, the execution
 * worker, the chain-event reconciler and, with LOG_ANCHOR_ADDRESS, the log anchoring job. relayer/main.ts runs it as a process; tests run it in-process.
 */
import { createPool } from '../core/database.js';
import { Queue } from 'bullmq';
import { Wallet } from 'ethers';
import { pino, type Logger } from 'pino';
import type { Config } from '../core/config.js';
import { loggerOptions } from '../core/logger.js';
import { connectChain } from '../core/chain/connect.js';
import { closeRedis, createRedis } from '../core/redis.js';
import { closeQueueComponent } from '../core/queue-close.js';
import { bullPrefix, QUEUE_NAMES, type ExecutionJobData } from '../core/queues.js';
import { EventPublisher, eventsChannel } from '../core/realtime/events.js';
import { ChainReader } from '../core/executions/chain.js';
import { relayerSettings, type RelayerSettings } from './config.js';
import { StepQueue } from '../core/executions/jobs.js';
import { NonceManager } from './nonce-manager.js';
import * as operator from '../core/executions/operator.js';
import { checkHealth, collectMetrics, type HealthReport } from './metrics.js';
import { ChainReconciler } from './reconciler.js';
import { ChainProgressWatch } from './chain-progress.js';
import { ExecutionRecorder } from '../core/executions/repository.js';
import { TxSender } from './tx-sender.js';
import { ExecutionWorker } from './worker.js';
import { LogAnchorJob } from './log-anchor.js';

export interface Relayer {
  address: string;
  settings: RelayerSettings;
  logger: Logger;
  chain: ChainReader;
  nonces: NonceManager;
  sender: TxSender;
  recorder: ExecutionRecorder;
  steps: StepQueue;
  worker: ExecutionWorker;
  reconciler: ChainReconciler;
  /** The log anchoring job (relayer/log-anchor.ts); null without LOG_ANCHOR_ADDRESS or without the worker. */
  logAnchor: LogAnchorJob | null;
  operator: {
    getStatus(proposalId: string): Promise<operator.ExecutionStatusReport>;
    list(filter?: { statuses?: string[]; limit?: number }): ReturnType<typeof operator.list>;
    dryRun(proposalId: string): Promise<operator.DryRunReport>;
    retry(proposalId: string): ReturnType<typeof operator.retry>;
    cancelJob(proposalId: string): ReturnType<typeof operator.cancelJob>;
  };
  /** Database, Redis, chain, worker, reconciler and log anchoring checks, and the low-balance warning (GET /health of relayer/http.ts). */
  health(): Promise<HealthReport>;
  /** Queue depth, executions by status, failures, balance and the low-balance flag, in the Prometheus text format (GET /metrics). */
  metrics(): Promise<string>;
  /** Shuts down in order: worker, log anchoring, reconciler, queue, Redis, database, provider. Safe to call twice. */
  close(): Promise<void>;
}

export interface RelayerOptions {
  logger?: Logger;
  /** Start consuming jobs (default true). Operator tools build a relayer without the worker. */
  worker?: boolean;
  /** Start the reconciler loop (default true). */
  reconciler?: boolean;
  /** How long an unmoving head on an automining chain counts as stalled (relayer/chain-progress.ts; default 30 s). */
  stallWarnMs?: number;
}

export async function createRelayer(config: Config, options: RelayerOptions = {}): Promise<Relayer> {
  const settings = relayerSettings(config);
  const logger = options.logger ?? pino(loggerOptions(config, 'govrelay-relayer'));
  const connection = await connectChain(config, { requestTimeoutMs: settings.rpcTimeoutMs });
  const { provider } = connection;
  // createPool's listener keeps a database restart from crashing the process and says so once.
  const pool = createPool(config, { max: Math.min(config.DATABASE_POOL_SIZE, 10), log: logger });
  // A Redis restart pauses the relayer instead of failing its commands.
  const redis = createRedis(config, { maxRetriesPerRequest: null });
  const queueConnection = createRedis(config, { maxRetriesPerRequest: null });
  const workerConnection = createRedis(config, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const queue = new Queue<ExecutionJobData>(QUEUE_NAMES.execution, { connection: queueConnection, prefix });
  const shutdown = new AbortController();

  const wallet = new Wallet(settings.privateKey, provider);
  const chain = new ChainReader(provider, settings.logChunkBlocks);
  const nonces = new NonceManager({ redis, provider, redisPrefix: config.REDIS_PREFIX, chainId: config.CHAIN_ID, address: wallet.address });
  const sender = new TxSender({
    provider,
    wallet,
    nonces,
    redis,
    redisPrefix: config.REDIS_PREFIX,
    chainId: config.CHAIN_ID,
    logger,
    signal: shutdown.signal,
    settings: {
      confirmations: settings.confirmations,
      stuckTimeoutMs: settings.stuckTimeoutMs,
      feeBumpPercent: settings.feeBumpPercent,
      maxFeePerGas: settings.maxFeePerGas,
      pollIntervalMs: settings.pollIntervalMs,
    },
  });
  const recorder = new ExecutionRecorder({ pool, events: new EventPublisher(redis, eventsChannel(config.REDIS_PREFIX)), logger });
  const steps = new StepQueue(queue, { attempts: settings.maxAttempts, backoffMs: settings.backoffMs });
  const worker = new ExecutionWorker({
    connection: workerConnection,
    steps,
    logger,
    ctx: { pool, chain, sender, recorder, logger, pollIntervalMs: settings.pollIntervalMs },
    settings: { concurrency: settings.concurrency, backoffMs: settings.backoffMs, attempts: settings.maxAttempts, prefix, lockMs: settings.jobLockMs },
    shuttingDown: () => shutdown.signal.aborted,
  });
  const reconciler = new ChainReconciler({
    pool,
    chain,
    recorder,
    steps,
    redis,
    redisPrefix: config.REDIS_PREFIX,
    chainId: config.CHAIN_ID,
    confirmations: settings.confirmations,
    intervalMs: settings.reconcileIntervalMs,
    logger,
    balance: { address: wallet.address, lowWei: settings.lowBalanceWei },
  });
  // Only where jobs run (the operator tools build a relayer without the worker), and with its own Redis connection.
  const anchorConnection = settings.logAnchor && options.worker !== false ? createRedis(config, { maxRetriesPerRequest: null }) : null;
  const logAnchor =
    settings.logAnchor && anchorConnection
      ? new LogAnchorJob({
          pool,
          provider,
          sender,
          connection: anchorConnection,
          logger,
          settings: { ...settings.logAnchor, prefix, chainId: config.CHAIN_ID },
        })
      : null;
  const deps: operator.OperatorDeps = { pool, chain, steps, recorder, sender };
  const progress = new ChainProgressWatch({
    provider,
    confirmations: settings.confirmations,
    logger,
    stallMs: options.stallWarnMs,
    checkMs: options.stallWarnMs ? Math.max(200, options.stallWarnMs / 5) : undefined,
  });

  let closing: Promise<void> | undefined;
  const startedAt = Date.now();
  const relayer: Relayer = {
    address: wallet.address,
    settings,
    logger,
    chain,
    nonces,
    sender,
    recorder,
    steps,
    worker,
    reconciler,
    logAnchor,
    operator: {
      getStatus: (id) => operator.getStatus(deps, id),
      list: (filter) => operator.list(deps, filter),
      dryRun: (id) => operator.dryRun(deps, id),
      retry: (id) => operator.retry(deps, id),
      cancelJob: (id) => operator.cancelJob(deps, id),
    },
    health: () =>
      checkHealth({
        pool,
        redis,
        provider,
        address: wallet.address,
        lowBalanceWei: settings.lowBalanceWei,
        workerRunning: options.worker !== false ? worker.isRunning() : null,
        reconciler: options.reconciler !== false ? { lastSuccessAt: reconciler.lastSuccessAt, intervalMs: settings.reconcileIntervalMs, startedAt } : null,
        logAnchor: logAnchor?.status() ?? null,
      }).then((report) => {
        const stalled = progress.warning();
        return stalled ? { ...report, warnings: [...report.warnings, stalled] } : report;
      }),
    metrics: () =>
      collectMetrics({
        pool,
        queue,
        provider,
        address: wallet.address,
        lowBalanceWei: settings.lowBalanceWei,
        failures: worker.failures,
        ...(options.worker !== false ? { workerRunning: worker.isRunning() } : {}),
        ...(options.reconciler !== false ? { reconcilerLastSuccessAt: reconciler.lastSuccessAt } : {}),
        ...(logAnchor ? { logAnchor: logAnchor.status() } : {}),
      }),
    close() {
      closing ??= (async () => {
        shutdown.abort();
        progress.close();
        await worker.close();
        await logAnchor?.close();
        await reconciler.close();
        await closeQueueComponent(queue, logger);
        if (anchorConnection) await closeRedis(anchorConnection, logger);
        await closeRedis(workerConnection, logger);
        await closeRedis(queueConnection, logger);
        await closeRedis(redis, logger);
        await pool.end();
        connection.close();
      })();
      return closing;
    },
  };
  if (options.worker !== false) worker.start();
  if (options.reconciler !== false) reconciler.start();
  try {
    await logAnchor?.start();
  } catch (error) {
    // A LOG_ANCHOR_ADDRESS this relayer cannot use (relayer/main.ts prints the ConfigError): nothing left open.
    await relayer.close();
    throw error;
  }
  // Only where jobs run: operator tools build a relayer without the worker and need no warning.
  if (options.worker !== false) await progress.start();
  logger.info(
    { relayer: wallet.address, chainId: config.CHAIN_ID, confirmations: settings.confirmations, concurrency: settings.concurrency },
    'relayer started',
  );
  return relayer;
}
