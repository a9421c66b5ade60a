/**
 * The common rig of the relayer fault tests: a stack with the DAO deployed and its treasury funded,
 * a pool, a Redis connection for probes, the execution queue, a group of relayer child processes,
 * and a teardown that stops them all in order. Each fault test file starts one per file.
 */
import type { Test } from 'tap';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { startStack, type StackDaoOptions, type TestStack } from './stack.js';
import { ChildGroup, type LogLine, type RelayerChild } from './relayer-child.js';
import { relayProbe, setupTreasury } from './relay-flow.js';
import { bullPrefix, QUEUE_NAMES, type ExecutionJobData } from '../../core/queues.js';
import { stepJobId, type Step } from '../../core/executions/jobs.js';
import type { Config } from '../../core/config.js';

export interface FaultRigOptions {
  config?: Partial<Config>;
  /** Deployment options of the DAO (e.g. relayerCancels for a veto council). */
  dao?: StackDaoOptions;
  /** Space settings beside the rig's defaults (e.g. a council). */
  space?: Record<string, unknown>;
  /**
   * The test restarts Redis: the rig's own connections wait out the restarts instead of failing
   * (no command is sent while Redis is down) and their close errors are ignored.
   */
  redisRestarts?: boolean;
  /** Runs at teardown after the relayers stopped, before the rig's connections close (e.g. bring Redis back up). */
  beforeClose?: () => Promise<unknown>;
  /** Runs at teardown after the stack closed. */
  afterClose?: () => Promise<unknown>;
}

export async function startFaultRig(t: Test, options: FaultRigOptions = {}) {
  const stack: TestStack = await startStack({ dao: options.dao ?? {}, ...(options.config ? { config: options.config } : {}) });
  const pool = new pg.Pool({ connectionString: stack.db.url, max: 3 });
  const tolerant = options.redisRestarts ?? false;
  const connect = (extra: { maxRetriesPerRequest?: null } = {}) => {
    const redis = new Redis(stack.config.REDIS_URL, tolerant ? { maxRetriesPerRequest: null } : extra);
    return tolerant ? redis.on('error', () => undefined) : redis;
  };
  const redis = connect();
  const queueConnection = connect({ maxRetriesPerRequest: null });
  const queue = new Queue<ExecutionJobData>(QUEUE_NAMES.execution, { connection: queueConnection, prefix: bullPrefix(stack.config.REDIS_PREFIX) });
  const children = new ChildGroup();
  t.teardown(async () => {
    await children.stopAll();
    await options.beforeClose?.();
    await (tolerant ? queue.close().catch(() => undefined) : queue.close());
    queueConnection.disconnect();
    redis.disconnect();
    await pool.end();
    await (tolerant ? stack.close().catch((error: unknown) => console.error(error)) : stack.close());
    await options.afterClose?.();
  });
  await setupTreasury(stack, options.space);
  return {
    stack,
    pool,
    redis,
    queue,
    children,
    provider: stack.chain.provider,
    dao: stack.dao!,
    probe: relayProbe(stack, redis),
    logsOf: (child: RelayerChild, match: (l: LogLine) => boolean) => child.logs.filter(match),
    jobState: async (step: Step, id: string) => (await queue.getJob(stepJobId(step, id)))?.getState() ?? null,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
