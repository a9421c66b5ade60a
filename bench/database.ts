/**
 * Scratch databases for the benchmarks: created on the test PostgreSQL, migrated by scripts/db.ts in
 * a child process (the wasm schema engine needs its own node flag), dropped by the caller.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { projectRoot } from '../core/project-root.js';
import { databaseUrlFor, withAdmin } from '../test/helpers/database.js';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database (its connections are closed first); safe to call twice. */
  drop(): Promise<void>;
}

function migrate(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings=ExperimentalWarning', '--import', 'tsx', 'scripts/db.ts', 'migrate'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`scripts/db.ts migrate exited with ${code}: ${output}`))));
  });
}

/**
 * A new database `<prefix>_<random>`, migrated. `onCreated` runs as soon as it exists (register its
 * drop there), so a failed migration still leaves nothing behind.
 */
export async function createScratchDatabase(prefix: string, onCreated: (database: ScratchDatabase) => void = () => undefined): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  const database: ScratchDatabase = {
    name,
    url: databaseUrlFor(name),
    drop: async () => {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  onCreated(database);
  await migrate(database.url);
  return database;
}
