/**
 * A pooled PostgreSQL connection that dies while idle (a database restart, an administrator's
 * pg_terminate_backend) is reported in the server's log and replaced by the next query, instead
 * of reaching the process as an uncaught 'error' event (which shut the server down when `npm run
 * chaos` killed PostgreSQL under it).
 */
import t, { type Test } from 'tap';
import { createDatabase } from '../../server/plugins/database.js';
import { adminDatabaseUrl, withAdmin } from '../helpers/database.js';

/** A one-connection database whose lost-connection reports and the process's uncaught exceptions the test reads. */
function watchedDatabase(t: Test) {
  const lost: { message: string }[] = [];
  const log = { warn: (obj: object) => lost.push((obj as { err: { message: string } }).err), info: () => undefined };
  const db = createDatabase({ DATABASE_URL: adminDatabaseUrl(), DATABASE_POOL_SIZE: 1 }, log);
  t.teardown(() => db.close());
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  t.teardown(() => process.off('uncaughtException', onUncaught));
  return { db, lost, uncaught };
}

t.test('an idle connection terminated by the database: reported, not thrown; the next query reconnects', async (t) => {
  const { db, lost, uncaught } = watchedDatabase(t);

  const pid = (await db.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  t.equal(db.pool.idleCount, 1, 'the connection went back to the pool, idle');
  await withAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
  for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 50));

  t.equal(lost.length, 1, 'the lost connection was reported once');
  t.match(lost[0]?.message, /terminating connection/, "with PostgreSQL's reason");
  t.same(uncaught, [], 'nothing reached the process as an uncaught exception');
  const next = await db.pool.query('SELECT pg_backend_pid() AS pid');
  t.not(next.rows[0].pid, pid, 'the next query ran on a new connection');
});

t.test('a checked-out connection terminated between two queries: reported, not thrown; its holder gets the error', async (t) => {
  const { db, lost, uncaught } = watchedDatabase(t);

  // Held, as a transaction holds its client while JavaScript runs between statements.
  const client = await db.pool.connect();
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  await withAdmin((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
  for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 50));

  t.equal(lost.length, 1, 'the lost connection was reported once');
  t.same(uncaught, [], 'nothing reached the process as an uncaught exception');
  await t.rejects(client.query('SELECT 1'), "the holder's next query fails");
  client.release(true);
  const next = await db.pool.query('SELECT pg_backend_pid() AS pid');
  t.not(next.rows[0].pid, pid, 'the pool opened a new connection for the next query');
});
