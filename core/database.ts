/** The PostgreSQL pool, opened the same way by the server (under Prisma, server/plugins/database.ts) and the relayer. */
import pg from 'pg';
import type { Config } from './config.js';

export function createPool(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>, options: { max?: number } = {}): pg.Pool {
  return new pg.Pool({ connectionString: config.DATABASE_URL, max: options.max ?? config.DATABASE_POOL_SIZE });
}
