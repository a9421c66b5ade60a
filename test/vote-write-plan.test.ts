/**
 * The vote writer's statement is prepared once per connection and its generic plan is kept while
 * the tables grow (autovacuum may never refresh the statistics). A plan made on empty tables must
 * still find every row by key: a sequential scan of signed_messages or votes would make each batch
 * cost more than the last. Planned here exactly as the writer runs it, on an empty database.
 */
import t from 'tap';
import pg from 'pg';
import { createTestDatabase } from './helpers/database.js';
import { PREPARE_WRITE_SQL } from '../server/votes/vote-writer.js';

t.test('the cached plan of the vote write looks up signed_messages, votes and voting_powers by key', async (t) => {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  t.teardown(() => client.end());

  await client.query('SET plan_cache_mode = force_generic_plan');
  await client.query(PREPARE_WRITE_SQL);
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN EXECUTE govrelay_vote_write('0x${'11'.repeat(32)}', 1, 'temperature', '[]', 'space')`,
  );
  const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
  for (const table of ['signed_messages', 'votes', 'voting_powers', 'proposals']) {
    t.notMatch(plan, new RegExp(`Seq Scan on ${table}\\b`), `no sequential scan of ${table}`);
  }
  t.match(plan, /Index (Only )?Scan using signed_messages_pkey/, 'the replay check probes the primary key');
  t.match(plan, /Index Scan using votes_pkey/, "the voter's previous vote is read by key");
  t.notMatch(plan, /hashed SubPlan/, 'no subplan that hashes a whole table');
});
