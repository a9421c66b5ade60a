/**
 * Each test file gets its own PostgreSQL database, cloned from a template that test/setup/before.ts
 * migrated once per run. Cloning takes ~100 ms; running the migrations per file would take seconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../core/project-root.js';

/**
 * Named after this checkout and its migrations, so test runs of two checkouts (or of two versions
 * of the migrations) on one PostgreSQL never rebuild each other's template mid-run.
 */
function templateName(): string {
  const migrations = join(projectRoot, 'prisma', 'migrations');
  const hash = createHash('sha256').update(projectRoot);
  for (const dir of readdirSync(migrations, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    hash.update(dir).update(readFileSync(join(migrations, dir, 'migration.sql')));
  }
  return `govrelay_test_template_${hash.digest('hex').slice(0, 12)}`;
}

export const TEMPLATE_DATABASE = templateName();

export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
}

export function databaseUrlFor(name: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `run` on a short-lived connection to the admin database (to create and drop databases). */
export async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `govrelay_t_${randomBytes(6).toString('hex')}`;
  // PostgreSQL refuses to copy a template while another CREATE DATABASE reads it: take turns.
  // Another tap run may be rebuilding the template at this moment: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin(async (admin) => {
        await admin.query('SELECT pg_advisory_lock(724001)');
        try {
          await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
        } finally {
          await admin.query('SELECT pg_advisory_unlock(724001)');
        }
      });
      break;
    } catch (error) {
      const busy = (error as { code?: string }).code === '55006';
      if (!busy || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  let dropped = false;
  return {
    name,
    url: databaseUrlFor(name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function recreateTemplate(migrate: (url: string) => Promise<unknown>): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  await migrate(databaseUrlFor(TEMPLATE_DATABASE));
}

/**
 * Runs `work` in one transaction with the append-only triggers off (session_replication_role
 * 'replica'): what someone with direct access to the database could do, for the tamper tests. Rolled
 * back when `work` throws.
 */
export async function asDatabaseOwner<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
