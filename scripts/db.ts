/**
 * Database migrations without Prisma's native schema engine (which cannot be downloaded here):
 * Prisma's own schema engine compiled to wasm, driven through the pg driver adapter.
 * Migrations stay in Prisma's format under prisma/migrations, so `prisma migrate deploy`
 * applies the same files in production.
 *
 *   tsx scripts/db.ts migrate          apply pending migrations to DATABASE_URL
 *   tsx scripts/db.ts check            exit 1 if schema.prisma and the migrations differ
 *   tsx scripts/db.ts create <name>    write a new migration for the difference
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../core/project-root.js';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { SchemaEngine, type MigrationList } from '@prisma/schema-engine-wasm';
import { loadDatabaseUrl } from '../core/config.js';

const schemaPath = join(projectRoot, 'prisma', 'schema.prisma');
const migrationsDir = join(projectRoot, 'prisma', 'migrations');
const noFilters = { externalTables: [], externalEnums: [] };

function readMigrations(): MigrationList {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file) ? { tag: 'ok', value: readFileSync(file, 'utf8') } : { tag: 'error', value: 'missing migration.sql' },
        },
      };
    }),
  };
}

function schemaFiles(path = schemaPath) {
  return [{ path, content: readFileSync(path, 'utf8') }];
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A pg pool whose results report PostgreSQL's internal one-byte "char" type (used by catalog
 * columns such as pg_constraint.contype, which the schema engine reads) as text. The pg driver
 * adapter has no mapping for it and would abort the schema description otherwise.
 */
function catalogFriendlyPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return pool;
}

/** The pg adapter factory for the schema engine, with a shadow database that it creates and drops. */
function migrationAdapterFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const adapterOptions = { disposeExternalPool: true };
  const connectTo = async (connectionString: string) => {
    const pool = catalogFriendlyPool({ connectionString });
    const adapter = await new PrismaPg(pool, adapterOptions).connect();
    // The adapter splits scripts on every ";", which breaks dollar-quoted function bodies
    // (our append-only triggers). PostgreSQL runs a multi-statement script as one simple query.
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(databaseUrl),
    async connectToShadowDb() {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      const database = `govrelay_shadow_${randomUUID().replace(/-/g, '')}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      const url = new URL(databaseUrl);
      url.pathname = `/${database}`;
      const adapter = await connectTo(url.toString());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
        await admin.end();
      };
      return adapter;
    },
  } as SqlMigrationAwareDriverAdapterFactory;
}

export async function withSchemaEngine<T>(databaseUrl: string, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(databaseUrl));
  const engineLog = (line: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) process.stderr.write(`${line}\n`);
  };
  const engine = await SchemaEngine.new({ datamodels: schemaFiles().map((f) => [f.path, f.content]) }, engineLog, adapterFactory);
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/** Applies pending migrations; returns the names applied. Used by tests and the demo as well. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: readMigrations(), filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/** SQL that would bring the migrations up to schema.prisma (or another schema file); empty when they agree. */
export async function pendingSchemaSql(databaseUrl: string, schemaFile = schemaPath): Promise<string> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...readMigrations() },
      to: { tag: 'schemaDatamodel', files: schemaFiles(schemaFile) },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const databaseUrl = loadDatabaseUrl(process.env);
  if (command === 'migrate') {
    const applied = await applyMigrations(databaseUrl);
    console.log(JSON.stringify({ msg: 'migrations applied', applied }));
  } else if (command === 'check') {
    const sql = await pendingSchemaSql(databaseUrl);
    if (sql.trim() !== '') {
      console.error('prisma/schema.prisma and prisma/migrations have drifted apart. Missing migration:\n' + sql);
      console.error('Run `npm run db:new-migration -- <name>` and commit the result.');
      process.exitCode = 1;
    } else {
      console.log(JSON.stringify({ msg: 'schema.prisma matches prisma/migrations' }));
    }
  } else if (command === 'create' && name && /^[a-z0-9_]+$/.test(name)) {
    const sql = await pendingSchemaSql(databaseUrl);
    if (sql.trim() === '') {
      console.log('No schema changes: no migration written.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    const lockPath = join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lockPath)) {
      writeFileSync(
        lockPath,
        '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      );
    }
    console.log(`Wrote ${dir}/migration.sql`);
  } else {
    console.error('usage: tsx scripts/db.ts migrate | check | create <snake_case_name>');
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
