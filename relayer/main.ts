/**
 * Relayer entry (the execution relay issue fills this in): a BullMQ worker, separate from the
 * server, that consumes the execution queue. For now it only connects and reports what is queued.
 */
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { loadConfigOrExit } from '../server/config.js';
import { loggerOptions } from '../server/logger.js';
import { bullPrefix, QUEUE_NAMES } from '../server/queues.js';
import { closeRedis, createRedis } from '../server/plugins/redis.js';

const config = loadConfigOrExit(process.env);
const logger = pino(loggerOptions(config, 'govrelay-relayer'));
const connection = createRedis(config, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE_NAMES.execution, { connection, prefix: bullPrefix(config.REDIS_PREFIX) });
logger.info({ counts: await queue.getJobCounts() }, 'execution queue');
await queue.close();
await closeRedis(connection);
