/**
 * The hot-path statements are prepared once per connection, and the generic plan PostgreSQL caches
 * for them is kept while the tables grow (autovacuum may never refresh the statistics). A plan made
 * on empty tables must still find every row by key: a sequential scan of signed_messages, votes or
 * voting_powers would make each call cost more than the last. Each statement is planned here
 * exactly as it runs, on an empty database.
 */
import t from 'tap';
import pg from 'pg';
import { createTestDatabase } from '../helpers/database.js';
import { PREPARE_WRITE_SQL } from '../../server/votes/vote-writer.js';
import { PREPARE_LOG_STATEMENTS_SQL } from '../../core/db/log.js';
import { POWER_READ_SQL } from '../../server/votes/voting-power.js';

type TestContext = Parameters<Parameters<typeof t.test>[0]>[0];

async function genericPlan(t: TestContext, prepare: string, execute: string): Promise<string> {
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  t.teardown(() => client.end());
  await client.query('SET plan_cache_mode = force_generic_plan');
  await client.query(prepare);
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${execute}`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

t.test('the vote write looks up signed_messages, votes and voting_powers by key', async (t) => {
  const plan = await genericPlan(t, PREPARE_WRITE_SQL, `EXECUTE govrelay_vote_write('0x${'11'.repeat(32)}', 1, 'temperature', '[]', 'space')`);
  for (const table of ['signed_messages', 'votes', 'voting_powers', 'proposals']) {
    t.notMatch(plan, new RegExp(`Seq Scan on ${table}\\b`), `no sequential scan of ${table}`);
  }
  t.match(plan, /Index (Only )?Scan using signed_messages_pkey/, 'the replay check probes the primary key');
  t.match(plan, /Index Scan using votes_pkey/, "the voter's previous vote is read by key");
  t.notMatch(plan, /hashed SubPlan/, 'no subplan that hashes a whole table');
});

t.test('the stored-power read looks up voting_powers, then votes, by key: probes per address', async (t) => {
  const plan = await genericPlan(
    t,
    `PREPARE power_read(text, text[]) AS ${POWER_READ_SQL}`,
    `EXECUTE power_read('0x${'11'.repeat(32)}', ARRAY['0x${'22'.repeat(20)}'])`,
  );
  t.notMatch(plan, /Seq Scan on voting_powers\b/, 'no sequential scan of voting_powers');
  t.match(
    plan,
    /Index Scan using voting_powers_pkey[^\n]*\n\s*Index Cond: \(\(proposal_id = \$1\) AND \(address = a\.address\)\)/,
    'each address is a primary-key probe on both key columns',
  );
  for (const stage of [1, 2]) {
    t.match(
      plan,
      new RegExp(
        `Index Scan using votes_pkey[^\\n]*\\n\\s*Index Cond: \\(\\(proposal_id = \\$1\\) AND \\(stage = ${stage}\\) AND \\(voter = a\\.address\\)\\)`,
      ),
      `then (one strategy: no voting_powers row) the stage ${stage} vote, a primary-key probe on all three key columns`,
    );
  }
  t.notMatch(plan, /Filter: \(stage/, 'the stage is never a filter after a probe of (proposal, voter)');
});

t.test('the log frontier read (prepared with the vote write) finds the latest head and each peak by key', async (t) => {
  const plan = await genericPlan(t, PREPARE_LOG_STATEMENTS_SQL, 'EXECUTE govrelay_log_frontier');
  for (const table of ['log_tree_heads', 'log_leaves', 'log_nodes']) {
    t.notMatch(plan, new RegExp(`Seq Scan on ${table}\\b`), `no sequential scan of ${table}`);
  }
  t.match(plan, /Index Scan Backward using log_tree_heads_pkey/, 'the latest head is the last entry of the primary key');
  t.match(plan, /Index Scan using log_leaves_pkey[^\n]*\n\s*Index Cond: \(idx = /, 'a leaf peak is a primary-key probe');
  t.match(plan, /Index Scan using log_nodes_pkey[^\n]*\n\s*Index Cond: \(\(level = [^)]*\) AND \(idx = /, 'a node peak is a primary-key probe');
  t.notMatch(plan, /Sort/, 'nothing is sorted');
});
