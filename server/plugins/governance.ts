/**
 * Builds the governance services on top of the database, Redis and the chain: voting power,
 * live tallies, the lifecycle engine with its BullMQ timers and sweeper, and the message service.
 */
import { errorLoggedOncePer } from '../../core/redis-watch.js';
import { availableParallelism } from 'node:os';
import fp from 'fastify-plugin';
import { Queue } from 'bullmq';
import type { Config } from '../../core/config.js';
import { createReputationLedger } from '../reputation/ledger.js';
import { EventPublisher, eventsChannel } from '../../core/realtime/events.js';
import { VotingPowerService } from '../votes/voting-power.js';
import { PowerPreloader } from '../votes/power-preload.js';
import { LiveTally } from '../votes/live-tally.js';
import { DelegationService } from '../delegations/delegated-power.js';
import { LifecycleEngine } from '../lifecycle/engine.js';
import { BullExecutionEnqueuer, BullTransitionScheduler } from '../lifecycle/bull-adapters.js';
import { LifecycleSweeper } from '../lifecycle/sweeper.js';
import { startLifecycleWorker } from '../lifecycle/processor.js';
import { MessageService } from '../messages/message-service.js';
import { EnvelopeParts } from '../../core/db/envelope-parts.js';
import { buildDomain, repeatedEnvelopeParts } from '../eip712/types.js';
import { buildMessageRegistry } from '../message-handlers.js';
import type { ProposalHooks } from '../proposals/create-proposal.js';
import type { ReminderHooks } from '../reminders/subscribe-handler.js';
import { ReceiptSigner } from '../messages/receipt.js';
import { VoteCrypto } from '../messages/vote-crypto.js';
import { StepQueue } from '../../core/executions/jobs.js';
import { bullPrefix, QUEUE_NAMES, type ExecutionJobData, type LifecycleJobData } from '../../core/queues.js';
import { createRedis, closeRedis } from '../../core/redis.js';
import { closeQueueComponent } from '../../core/queue-close.js';

export interface Governance {
  messages: MessageService;
  power: VotingPowerService;
  preloader: PowerPreloader;
  liveTally: LiveTally;
  delegation: DelegationService;
  engine: LifecycleEngine;
  sweeper: LifecycleSweeper;
  receipts: ReceiptSigner;
  executionQueue: Queue<ExecutionJobData>;
  lifecycleQueue: Queue<LifecycleJobData>;
  /** Hooks features attach to proposal creation (set while plugins register). */
  proposalHooks: ProposalHooks;
  /** The reminders plugin's hooks on Subscribe messages (set while plugins register). */
  reminderHooks: ReminderHooks;
}

declare module 'fastify' {
  interface FastifyInstance {
    gov: Governance;
  }
}

export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    const { pool, prisma } = app.db;
    const logger = app.log;
    const events = new EventPublisher(app.redis, eventsChannel(config.REDIS_PREFIX));
    const receipts = new ReceiptSigner(config.RECEIPT_PRIVATE_KEY);
    if (!config.RECEIPT_PRIVATE_KEY) logger.warn({ receiptSigner: receipts.address }, 'RECEIPT_PRIVATE_KEY not set: receipts are signed with a random key');

    const envelopeParts = await EnvelopeParts.register(pool, repeatedEnvelopeParts(buildDomain(config.CHAIN_ID, config.DEPLOYMENT_SALT)));
    const voteCrypto = new VoteCrypto({
      threads: config.VOTE_CRYPTO_THREADS ?? Math.min(4, availableParallelism() - 1),
      onWorkerError: (error) => logger.error({ err: error }, 'vote crypto worker failed; it is replaced'),
    });
    try {
      await voteCrypto.ready();
    } catch (error) {
      await voteCrypto.close();
      throw error;
    }
    const power = new VotingPowerService({ pool, multicall: app.chain.multicall, reputationLedger: createReputationLedger(prisma), chainId: config.CHAIN_ID });
    const preloader = new PowerPreloader({
      power,
      reads: app.chain.reads,
      options: {
        maxHolders: config.POWER_PRELOAD_MAX_HOLDERS,
        scanBlocks: config.POWER_PRELOAD_SCAN_BLOCKS,
        logChunkBlocks: config.POWER_PRELOAD_LOG_CHUNK_BLOCKS,
      },
      logger,
    });
    const delegation = new DelegationService({ pool, power, logger });
    const liveTally = new LiveTally({
      pool,
      events,
      intervalMs: config.TALLY_PUBLISH_INTERVAL_MS,
      reseedIntervalMs: config.TALLY_RESEED_INTERVAL_MS,
      logger,
    });

    // BullMQ needs its own connections; workers must not give up on Redis while it restarts.
    const queueConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const workerConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const lifecycleQueue = new Queue<LifecycleJobData>(QUEUE_NAMES.lifecycle, { connection: queueConnection, prefix });
    const executionQueue = new Queue<ExecutionJobData>(QUEUE_NAMES.execution, { connection: queueConnection, prefix });
    const execution = new BullExecutionEnqueuer(executionQueue, pool);
    const engine = new LifecycleEngine({
      pool,
      events,
      scheduler: new BullTransitionScheduler(lifecycleQueue),
      execution,
      logger,
      signDigest: receipts.signDigest,
    });
    const sweeper = new LifecycleSweeper({ pool, engine, execution, intervalMs: config.LIFECYCLE_SWEEP_INTERVAL_MS, logger });

    const worker = startLifecycleWorker({ pool, engine, connection: workerConnection, prefix, logger });
    lifecycleQueue.on('error', errorLoggedOncePer(logger, 'lifecycle queue'));
    executionQueue.on('error', errorLoggedOncePer(logger, 'execution queue'));

    // Features attach here (the ideation plugin installs the idea promotion hook).
    const proposalHooks: ProposalHooks = {};
    const reminderHooks: ReminderHooks = {};
    const handlers = buildMessageRegistry({
      pool,
      chainId: config.CHAIN_ID,
      power,
      preloader,
      lifecycle: engine,
      liveTally,
      delegation,
      proposals: { provider: app.chain.provider, multicall: app.chain.multicall, hooks: proposalHooks },
      logger,
      allowPrivateWebhookUrls: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
      reminders: reminderHooks,
      signDigest: receipts.signDigest,
      queueVetoCancel: async (proposalId) => {
        await new StepQueue(executionQueue, { attempts: config.RELAYER_MAX_ATTEMPTS, backoffMs: config.RELAYER_BACKOFF_MS }).enqueue('veto-cancel', proposalId);
        logger.info({ proposalId }, 'council veto threshold reached: cancel queued for the relayer');
      },
    });
    const messages = new MessageService({ config, pool, verifier: app.chain.verifier, receipts, voteCrypto, handlers, envelopeParts, logger });

    app.decorate('gov', {
      messages,
      power,
      preloader,
      liveTally,
      delegation,
      engine,
      sweeper,
      receipts,
      executionQueue,
      lifecycleQueue,
      proposalHooks,
      reminderHooks,
    });
    app.addHook('onReady', async () => sweeper.start());
    // The steps that wait on Redis are bounded (core/shutdown.ts): a close never hangs on a reconnect.
    app.addHook('onClose', async () => {
      await sweeper.close();
      await preloader.close();
      await closeQueueComponent(worker, app.log);
      await liveTally.close();
      await voteCrypto.close();
      await closeQueueComponent(lifecycleQueue, app.log);
      await closeQueueComponent(executionQueue, app.log);
      await closeRedis(workerConnection, app.log);
      await closeRedis(queueConnection, app.log);
    });
  },
  { name: 'governance', dependencies: ['database', 'redis', 'chain'] },
);
