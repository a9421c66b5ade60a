/** The PostgreSQL pool, opened the same way by the server (under Prisma, server/plugins/database.ts) and the relayer. */
import pg from 'pg';
import type { Config } from './config.js';
import { watchPool, type PoolLog } from './db/pool-watch.js';

/**
 * A connection attempt that gets no answer fails after 5 s (a 503 for a request, a retry for a job)
 * instead of waiting forever for a database that is away; the pool's error listener keeps a
 * PostgreSQL restart from killing the process (core/db/pool-watch.ts).
 */
export function createPool(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>, options: { max?: number; log?: PoolLog | undefined } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: options.max ?? config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5000 });
  watchPool(pool, options.log);
  return pool;
}
