/**
 * The database layer: migrations apply in Prisma's format, the drift check notices a schema change
 * without a migration, and the signed-message log and reputation ledger refuse updates and deletes.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminDatabaseUrl, createTestDatabase } from '../helpers/database.js';
import { applyMigrations, pendingSchemaSql } from '../../scripts/db.js';
import { projectRoot } from '../../core/project-root.js';

t.test('migrations are applied once and recorded like prisma migrate deploy does', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  t.same(await applyMigrations(db.url), [], 'the template already has every migration');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  t.teardown(() => client.end());
  const { rows } = await client.query('SELECT migration_name, finished_at IS NOT NULL AS done FROM _prisma_migrations ORDER BY migration_name');
  t.ok(rows.length >= 1 && rows.every((r) => r.done));
});

t.test('the drift check passes for the repository and fails for a schema change without a migration', async (t) => {
  t.equal(await pendingSchemaSql(adminDatabaseUrl()), '', 'schema.prisma matches prisma/migrations');
  const changed = readFileSync(join(projectRoot, 'prisma', 'schema.prisma'), 'utf8').replace('model Space {\n', 'model Space {\n  website String?\n');
  const dir = mkdtempSync(join(tmpdir(), 'govrelay-schema-'));
  writeFileSync(join(dir, 'schema.prisma'), changed);
  t.match(await pendingSchemaSql(adminDatabaseUrl(), join(dir, 'schema.prisma')), /ALTER TABLE "spaces" ADD COLUMN\s+"website" TEXT/);
});

t.test('the signed-message log, the verifiable log and the reputation ledger are append-only', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  t.teardown(() => client.end());
  await client.query(
    `INSERT INTO signed_messages (id, type, "from", space_id, timestamp, envelope, signature, sig_kind, received_at)
     VALUES ('0x01', 'Vote', '0xabc', 's', 1, '{}', '0x', 'eoa', now())`,
  );
  await client.query(`INSERT INTO reputation_entries (space_id, address, delta, at, reason) VALUES ('s', '0xabc', 5, now(), 'course')`);
  await client.query(`INSERT INTO log_leaves (idx, message_id, signature_hash, leaf_hash, received_at) VALUES (0, '0x01', '\\x00', '\\x00', now())`);
  await client.query(`INSERT INTO log_nodes (level, idx, hash) VALUES (1, 0, '\\x00')`);
  await client.query(`INSERT INTO log_tree_heads (tree_size, root_hash, timestamp, signature) VALUES (1, '\\x00', 1, '0x')`);
  const column = { signed_messages: 'space_id', reputation_entries: 'space_id', log_leaves: 'message_id', log_nodes: 'idx', log_tree_heads: 'signature' };
  for (const [table, name] of Object.entries(column)) {
    await t.rejects(client.query(`UPDATE ${table} SET ${name} = ${name}`), /append-only/, `${table}: no update`);
    await t.rejects(client.query(`DELETE FROM ${table}`), /append-only/, `${table}: no delete`);
    await t.rejects(client.query(`TRUNCATE ${table}`), /append-only/, `${table}: no truncate`);
  }
});
