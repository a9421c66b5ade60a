/**
 * The demo as an operator uses it: with --keep, the printed `env … npm run relayer:cli -- dry-run <id>`
 * line works as printed from another shell; and a demo that cannot start (a PostgreSQL that does not
 * answer) prints its cause, exits 1 and leaves no process of its own behind (its hardhat node included).
 */
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../core/project-root.js';
import { adminDatabaseUrl } from './helpers/database.js';

function startDemo(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exited: Promise<number | null> } {
  // detached: the demo and everything it starts share a new process group the test can inspect.
  const child = spawn('npm', ['run', 'demo', '--', ...args], {
    cwd: projectRoot,
    env: { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 2 : null))));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Processes (pid and command) still alive in a process group, zombies aside. */
function groupMembers(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args=']);
  return String(ps.stdout)
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([pid, , , ...args]) => `${pid} ${args.join(' ')}`);
}

/** The group empties within a few seconds (esbuild's service process exits after tsx's node does). */
async function leftover(pgid: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const members = groupMembers(pgid);
    if (members.length === 0 || Date.now() > deadline) return members;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function until<T>(check: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

t.test('a demo that cannot reach PostgreSQL prints why, exits 1 and leaves nothing running', async (t) => {
  const demo = startDemo([], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
  const code = await demo.exited;
  const { stdout, stderr } = demo.output();
  t.equal(code, 1, `exit 1\n${stdout}\n${stderr}`);
  t.match(stderr, /demo failed: could not start the infrastructure: PostgreSQL: .*(ECONNREFUSED|connect)/, 'the cause is printed');
  t.same(await leftover(demo.child.pid!), [], 'no process of the demo is left (no hardhat node)');
});

t.test('with --keep, the printed relayer:cli line works as printed', async (t) => {
  const demo = startDemo(['--keep'], { DATABASE_URL: adminDatabaseUrl() });
  t.teardown(async () => {
    if (demo.child.exitCode === null && demo.child.signalCode === null) {
      process.kill(-demo.child.pid!, 'SIGINT');
      await demo.exited;
    }
  });
  const line = await until(() => /the same from a shell[^:]*: (env .* npm run relayer:cli -- dry-run 0x[0-9a-f]{64})/.exec(demo.output().stdout)?.[1], 240_000);
  await until(() => demo.output().stdout.includes('--keep: the chain'), 240_000);
  t.match(line, /DATABASE_URL=\S+ .*REDIS_PREFIX=demo-\S+ .*RPC_URL=http:\/\/127\.0\.0\.1:\d+ /, 'names the database, the Redis prefix and the chain');
  const run = spawnSync('sh', ['-c', line], { cwd: projectRoot, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 120_000 });
  t.equal(run.status, 0, `the line runs as printed\n${run.stdout}\n${run.stderr}`);
  t.match(run.stdout, /0x[0-9a-f]{64}/, 'and reports on the proposal');
  process.kill(-demo.child.pid!, 'SIGINT');
  const code = await demo.exited;
  // npm itself may die of the SIGINT (exit by signal, counted as 130 here); the demo exits 0 or 130.
  t.ok(code === 0 || code === 130, `stops on Ctrl-C (exit ${code})`);
  t.same(await leftover(demo.child.pid!), [], 'nothing left running');
});
