/**
 * The lifecycle sweeper while PostgreSQL is away: every sweep fails, and the log gets one warning for
 * the outage, not an error per interval (`npm run chaos` saw one error a second per server).
 */
import t from 'tap';
import { createPool } from '../../core/database.js';
import { freePort } from '../../scripts/local-chain.js';
import { LifecycleSweeper } from '../../server/lifecycle/sweeper.js';
import type { LifecycleEngine, ExecutionEnqueuer } from '../../server/lifecycle/engine.js';
import type { Log } from '../../core/logger.js';

t.test('a database that is away: one warning for many failed sweeps, no error log', async (t) => {
  // A port nothing listens on: every connection is refused, as while PostgreSQL restarts.
  const pool = createPool({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/none`, DATABASE_POOL_SIZE: 1 });
  t.teardown(() => pool.end());
  const logged: { level: string; msg: string }[] = [];
  const record = (level: string) => (_obj: object, msg: string) => logged.push({ level, msg });
  const logger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } as unknown as Log;
  const processed: string[] = [];
  const engine = { process: async (id: string) => void processed.push(id) } as unknown as LifecycleEngine;
  const execution = { enqueue: async (id: string) => void processed.push(id) } as unknown as ExecutionEnqueuer;
  let sweeps = 0;
  const sweeper = new LifecycleSweeper({ pool, engine, execution, intervalMs: 10, logger });
  const sweep = sweeper.sweep.bind(sweeper);
  sweeper.sweep = () => (sweeps++, sweep());
  sweeper.start();
  while (sweeps < 5) await new Promise((r) => setTimeout(r, 10));
  await sweeper.close();

  t.ok(sweeps >= 5, `${sweeps} sweeps ran and failed`);
  t.same(
    logged.filter((l) => l.level === 'error'),
    [],
    'no error log for a dependency that is away',
  );
  t.equal(logged.filter((l) => l.level === 'warn').length, 1, 'one warning for the outage');
  t.same(processed, [], 'nothing was processed');
});
