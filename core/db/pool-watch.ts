/**
 * A PostgreSQL restart closes every idle pooled connection ("terminating connection due to
 * administrator command", then "Connection terminated unexpectedly"). node-postgres reports that
 * as an 'error' event on the pool, and an EventEmitter 'error' without a listener ends the process.
 * The pool drops the broken client by itself and opens new ones on demand, so the server only has to
 * listen, and say once that the database went away (and once that it is back), not once per client.
 */
import type pg from 'pg';

export interface PoolLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function watchPool(pool: pg.Pool, log?: PoolLog): void {
  let down = false;
  pool.on('error', (error) => {
    if (down) return;
    down = true;
    log?.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'database connection lost; requests answer 503 DATABASE_UNAVAILABLE until it is back',
    );
  });
  // A new connection that works means the database is back.
  pool.on('connect', () => {
    if (!down) return;
    down = false;
    log?.info({}, 'database connection restored');
  });
}
