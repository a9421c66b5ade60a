/**
 * A redis-server of a test's own, on a free port with a temporary directory, that the test may shut
 * down and start again (the shared Redis on 6379 serves the other test files and is never touched).
 *
 * persistence 'aof': appendonly yes, no RDB snapshots; SHUTDOWN fsyncs the log and the next start on
 * the same directory loads it back, as production Redis for BullMQ is set up (relayer/README.md).
 * persistence 'none': no AOF, no RDB; a restart starts empty (every job, counter and record lost).
 * restartEmpty() gives the same loss on an 'aof' server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/local-chain.js';

export interface TestRedisServer {
  url: string;
  port: number;
  dir: string;
  persistence: 'aof' | 'none';
  readonly running: boolean;
  /** SHUTDOWN (AOF: the log is fsynced; none: NOSAVE) and wait until the process is gone. */
  shutdown(): Promise<void>;
  /** Starts redis-server again on the same port and directory. */
  start(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  /** Kills the server (SIGKILL, nothing saved), empties its directory and starts it again: a restart that loses every key, as a Redis without persistence does. */
  restartEmpty(downMs?: number): Promise<void>;
  /** Stops the server (if running) and removes its directory. */
  close(): Promise<void>;
}

export async function startRedisServer(persistence: 'aof' | 'none'): Promise<TestRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'govrelay-redis-'));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async () => {
    if (child) throw new Error('redis-server is already running');
    output = '';
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      '--maxmemory-policy',
      'noeviction',
      '--appendonly',
      persistence === 'aof' ? 'yes' : 'no',
    ];
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        if (child === started) child = null;
        resolve();
      }),
    );
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    started.stdout!.on('data', keep);
    started.stderr!.on('data', keep);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child !== started) throw new Error(`redis-server exited at start: ${output}`);
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused until it listens: the loop just tries again
      try {
        await probe.connect();
        // Ready only once the AOF is loaded: PING answers LOADING before that.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not listening, or still loading
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not start within 10 s: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const shutdown = async () => {
    const running = child;
    if (!running) return;
    const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await admin.connect();
      await (persistence === 'aof' ? admin.call('SHUTDOWN') : admin.call('SHUTDOWN', 'NOSAVE')).catch(() => undefined); // the connection closes as it stops
    } catch {
      running.kill('SIGTERM');
    } finally {
      admin.disconnect();
    }
    const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    persistence,
    get running() {
      return child !== null;
    },
    shutdown,
    start,
    async restart(downMs = 500) {
      await shutdown();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async restartEmpty(downMs = 500) {
      const running = child;
      if (running) {
        running.kill('SIGKILL');
        await exited;
      }
      for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async close() {
      const running = child;
      if (running) {
        running.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
