/**
 * PostgreSQL access: one pg pool shared by Prisma (through its pg driver adapter) and by the few
 * hot-path statements written in SQL (vote upserts, tallies), so both see one connection budget.
 */
import fp from 'fastify-plugin';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Log } from '../logger.js';

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
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
  // An idle connection dropped by a database restart ("terminating connection due to unexpected
  // postmaster exit") is emitted on the pool; unheard, it is an uncaught exception that shut the
  // server down (found by `npm run chaos`). The next query opens a new connection.
  pool.on('error', (error) => log?.warn({ err: error }, 'database connection lost'));
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
