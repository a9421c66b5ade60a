/**
 * A PostgreSQL restart closes every idle pooled connection ("terminating connection due to
 * administrator command", then "Connection terminated unexpectedly"). node-postgres reports that
 * as an 'error' event on the pool, and an EventEmitter 'error' without a listener ends the process.
 * The pool drops the broken client by itself and opens new ones on demand, so the server only has to
 * listen, and say once that the database went away (and once that it is back), not once per client.
 *
 * The pool listens to its clients only while they are idle. A client that is checked out but between
 * queries (a transaction running JavaScript between two statements, a stream being read) emits its
 * 'error' on itself, with no listener: `npm run chaos` saw that end the server. So every client gets
 * the same listener for its whole life; its holder's next query fails and the pool discards it on
 * release.
 */
import type pg from 'pg';

export interface PoolLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function watchPool(pool: pg.Pool, log?: PoolLog): void {
  let down = false;
  const lost = (error: Error) => {
    if (down) return;
    down = true;
    log?.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'database connection lost; requests answer 503 DATABASE_UNAVAILABLE until it is back',
    );
  };
  pool.on('error', lost);
  pool.on('connect', (client) => {
    client.on('error', lost);
    // A new connection that works means the database is back.
    if (!down) return;
    down = false;
    log?.info({}, 'database connection restored');
  });
}
