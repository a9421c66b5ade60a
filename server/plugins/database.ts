/**
 * PostgreSQL access: one pg pool shared by Prisma (through its pg driver adapter) and by the few
 * hot-path statements written in SQL (vote upserts, tallies), so both see one connection budget.
 */
import fp from 'fastify-plugin';
import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { createPool } from '../../core/database.js';
import type { Config } from '../../core/config.js';
import type { Log } from '../../core/logger.js';

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export function createDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>, log?: Pick<Log, 'warn' | 'info'>): Database {
  const pool = createPool(config, { log });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closing: Promise<void> | undefined;
  return {
    prisma,
    pool,
    close() {
      closing ??= (async () => {
        await prisma.$disconnect();
        await pool.end();
      })();
      return closing;
    },
  };
}

export default fp(
  async (app, opts: { config: Config }) => {
    const db = createDatabase(opts.config, app.log);
    await db.pool.query('select 1');
    app.decorate('db', db);
    app.addHook('onClose', async () => db.close());
  },
  { name: 'database' },
);
