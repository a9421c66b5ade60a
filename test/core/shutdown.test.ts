/**
 * Bounded shutdown steps (core/shutdown.ts, closeRedis): a close that waits on a Redis that is not
 * coming back ends after its bound, names the late step, and stops reconnecting what it can.
 */
import t from 'tap';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeWithin } from '../../core/shutdown.js';
import { closeQueueComponent } from '../../core/queue-close.js';
import { closeRedis, createRedis } from '../../core/redis.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { runCommand } from '../helpers/run-command.js';
import { freePort } from '../../scripts/local-chain.js';

function warnings() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  return { lines, log: { warn: (obj: object, msg: string) => lines.push({ obj: obj as Record<string, unknown>, msg }), info: () => undefined } };
}

/** Counts reconnect attempts from now on: a closed connection makes none. */
function reconnects(redis: Redis): () => number {
  let count = 0;
  redis.on('reconnecting', () => count++);
  return () => count;
}

t.test('closeWithin: in time, late (forced and logged), and a failing close', async (t) => {
  const { lines, log } = warnings();
  t.equal(await closeWithin('quick', async () => undefined, { log, ms: 1000 }), true, 'a step that finishes in time');
  t.same(lines, [], 'is not logged');

  let forced = 0;
  const started = Date.now();
  const late = await closeWithin('stuck step', () => new Promise(() => undefined), { log, ms: 100, force: () => forced++ });
  t.equal(late, false, 'a step that never finishes is given up on');
  t.ok(Date.now() - started < 1000, `after its bound (${Date.now() - started} ms)`);
  t.equal(forced, 1, 'and forced once');
  t.same(lines, [{ obj: { step: 'stuck step', ms: 100 }, msg: 'a shutdown step did not finish in time; it was forced' }], 'the late step is named');

  await t.rejects(
    closeWithin('failing', async () => Promise.reject(new Error('boom')), { ms: 1000 }),
    /boom/,
    "a close's own error is passed on",
  );
  const forceThrows = () => {
    throw new Error('ignored');
  };
  t.equal(
    await closeWithin('force throws', () => new Promise(() => undefined), { ms: 10, force: forceThrows }),
    false,
    'a failing force does not fail the shutdown',
  );
});

t.test('a queue and its connection whose Redis is gone: closed within their bounds, no reconnecting after', async (t) => {
  const redis = await startRedisServer('none');
  t.teardown(() => redis.close());
  const { lines, log } = warnings();
  const connection = createRedis({ REDIS_URL: redis.url }, { maxRetriesPerRequest: null }, log);
  const queue = new Queue('shutdown-test', { connection });
  queue.on('error', () => undefined);
  await queue.waitUntilReady();

  await redis.shutdown();
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  await closeQueueComponent(queue, log, 1000);
  await closeRedis(connection, log);
  t.ok(Date.now() - started < 1000 + 2000 + 500, `closed within the bounds (${Date.now() - started} ms)`);
  for (const step of lines.filter((l) => l.msg.includes('shutdown step')))
    t.match(step.obj.step, /^(close Queue shutdown-test|quit Redis)$/, `a late step is named: ${String(step.obj.step)}`);
  const attempts = reconnects(connection);
  await new Promise((r) => setTimeout(r, 2500));
  t.equal(attempts(), 0, 'the connection stopped reconnecting');
});

t.test('closeRedis on a connection that never reached Redis: bounded, and it stops reconnecting', async (t) => {
  const port = await freePort();
  const { log } = warnings();
  const connection = createRedis({ REDIS_URL: `redis://127.0.0.1:${port}` }, { maxRetriesPerRequest: null }, log);
  await new Promise((r) => setTimeout(r, 200));
  t.not(connection.status, 'ready');
  const started = Date.now();
  await closeRedis(connection, log);
  t.ok(Date.now() - started < 2500, `closed within QUIT's bound (${Date.now() - started} ms)`);
  const attempts = reconnects(connection);
  await new Promise((r) => setTimeout(r, 2500));
  t.equal(attempts(), 0, 'no reconnect attempt after the close');
});

type ChildResult = { closed: boolean; ms: number; warnings: { obj: { step: string }; msg: string }[] };
/** The fixture in a child process, killed after 30 s (exit 124) if something keeps it alive. */
async function stuckWorkerClose(mode: 'gone' | 'back') {
  const child = await runCommand('timeout', ['30', 'node', '--import', 'tsx', 'test/fixtures/stuck-worker-close.ts', mode], {
    ...process.env,
    NODE_OPTIONS: '',
  });
  const last = child.stdout.trim().split('\n').at(-1);
  return { code: child.code, stderr: child.stderr, result: last ? (JSON.parse(last) as ChildResult) : null };
}
const lateSteps = (result: ChildResult | null) => (result?.warnings ?? []).filter((w) => w.msg.includes('shutdown step'));

t.test('a BullMQ worker whose Redis is gone: its close, which BullMQ never ends, is given up on after its bounds and named', async (t) => {
  const { code, stderr, result } = await stuckWorkerClose('gone');
  t.equal(code, 0, stderr);
  // 2.5 s waiting for a reconnect that does not come (queue-close.ts), then the 1 s bound of the close.
  t.ok(result && result.ms < 4500, `the close returned after its bounds (${result?.ms} ms)`);
  if (result?.closed) t.same(lateSteps(result), [], 'closed in time: nothing logged');
  else
    t.same(
      lateSteps(result),
      [{ obj: { step: 'close Worker stuck-close', ms: 1000 }, msg: 'a shutdown step did not finish in time; it was forced' }],
      'late: logged with the step',
    );
});

t.test('a BullMQ worker closed just after Redis came back: it closes in time and leaves nothing running', async (t) => {
  // Before queue-close.ts waited for the blocking client, this close never finished (BullMQ waits for
  // the end of a client that has no socket) and the worker's lock timer kept the process alive:
  // the outage test then ran into tap's timeout in CI.
  const { code, stderr, result } = await stuckWorkerClose('back');
  t.equal(code, 0, `the process ended by itself (${code === 124 ? 'killed after 30 s' : `exit ${code}`}) ${stderr}`);
  t.equal(result?.closed, true, `closed within the bound (${result?.ms} ms)`);
  t.same(lateSteps(result), [], 'no step was late');
});
