import t from 'tap';
import pg from 'pg';
import { createTestDatabase } from './helpers/database.js';

t.test('test database is cloned from the migrated template', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query(`select count(*)::int as n from _prisma_migrations where finished_at is not null`);
  t.ok(rows[0].n >= 1);
  await client.query(
    `insert into signed_messages (id, type, "from", space_id, timestamp, envelope, signature, sig_kind, receipt, received_at)
     values ('0x01', 'vote', '0xabc', 's', 1, '{}', '0x', 'eoa', '0x', now())`,
  );
  await t.rejects(client.query(`update signed_messages set type = 'x'`), /append-only/);
  await t.rejects(client.query(`delete from signed_messages`), /append-only/);
  await client.end();
});
