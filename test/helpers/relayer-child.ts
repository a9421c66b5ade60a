/**
 * Runs the relayer (or the server) as a real child process (`node --import tsx relayer/main.ts`,
 * configured through the environment like production), so a test can SIGKILL it at a chosen moment, pause it (SIGSTOP)
 * or run two at once. Its pino JSON log is parsed line by line and kept, so tests can wait for a log
 * line (a broadcast, a confirmation) and check what each process did.
 *
 * Every child is tracked by its PID in a ChildGroup; `stopAll()` (call it from t.teardown) kills the
 * ones still running, so a failing test never leaves a process behind that would keep tap waiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import { projectRoot } from '../../core/project-root.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [key: string]: unknown;
}

export interface RelayerChild {
  name: string;
  pid: number;
  /** Every JSON log line so far, in order. */
  logs: LogLine[];
  /** Non-JSON output (stderr, crashes). */
  text(): string;
  /** Resolves with the first line (from `from` on) that matches; rejects after timeoutMs or when the process exits. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number, from?: number): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful shutdown), SIGKILL after graceMs; waits until the process is gone. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
  readonly running: boolean;
}

/** The configuration as the environment variables core/config.ts reads. */
export function configEnv(config: Partial<Config>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined && value !== null) env[key] = String(value);
  return env;
}

export class ChildGroup {
  private readonly children: RelayerChild[] = [];

  /** Starts `relayer/main.ts` with this configuration; resolves once it logged "relayer started". */
  async spawnRelayer(name: string, config: Partial<Config>): Promise<RelayerChild> {
    const env: Record<string, string> = {};
    // Only what a process needs from the test's environment; the configuration comes from `config` alone.
    for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key]!;
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'relayer', 'main.ts')], {
      cwd: projectRoot,
      // No HTTP listener (health/metrics): several relayers run side by side and the port is not theirs to share.
      env: { ...env, ...configEnv({ ...config, LOG_LEVEL: 'debug' }), RELAYER_HTTP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const handle = wrap(name, child);
    this.children.push(handle);
    try {
      // Generous: on a loaded 2-core machine tsx's start of a child has taken more than 30 s.
      await handle.waitForLog((l) => l.msg === 'relayer started', 90_000);
    } catch (error) {
      await handle.kill();
      throw new Error(`relayer ${name} did not start: ${(error as Error).message}\n${handle.text()}`);
    }
    return handle;
  }

  /**
   * Starts the server (`server/main.ts`, with the node flags of production) on a free port; resolves
   * once it listens, with its base URL.
   */
  async spawnServer(name: string, config: Partial<Config>): Promise<RelayerChild & { url: string }> {
    const env: Record<string, string> = {};
    for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key]!;
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', join(projectRoot, 'server', 'main.ts')], {
      cwd: projectRoot,
      env: { ...env, ...configEnv({ ...config, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: 0 }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const handle = wrap(name, child);
    this.children.push(handle);
    try {
      const line = await handle.waitForLog((l) => l.msg.startsWith('Server listening at http://127.0.0.1'), 60_000);
      return Object.assign(handle, { url: line.msg.slice('Server listening at '.length) });
    } catch (error) {
      await handle.kill();
      throw new Error(`server ${name} did not start: ${(error as Error).message}\n${handle.text()}`);
    }
  }

  /**
   * Kills every child still running (teardown). With RELAYER_CHILD_LOGS=<dir> in the test's
   * environment, each child's log is written there as <pid>-<name>.log (for debugging a failure).
   */
  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((c) => c.kill()));
    const dir = process.env.RELAYER_CHILD_LOGS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const c of this.children) writeFileSync(join(dir, `${c.pid}-${c.name}.log`), c.logs.map((l) => JSON.stringify(l)).join('\n') + '\n' + c.text());
    }
  }
}

function wrap(name: string, child: ChildProcess): RelayerChild {
  const logs: LogLine[] = [];
  let text = '';
  let exitCode: number | null | undefined;
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve(code);
      for (const w of waiters) w();
    });
  });
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        text = (text + line + '\n').slice(-20_000);
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
  });

  const handle: RelayerChild = {
    name,
    pid: child.pid!,
    logs,
    text: () => text,
    exited,
    get running() {
      return exitCode === undefined;
    },
    waitForLog(match, timeoutMs = 30_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = from; i < logs.length; i++) {
            if (match(logs[i]!)) {
              done();
              resolve(logs[i]!);
              return;
            }
          }
          if (exitCode !== undefined) {
            done();
            reject(new Error(`relayer ${name} exited (${exitCode}) before the expected log line`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`relayer ${name}: no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    signal(signal) {
      if (exitCode === undefined) child.kill(signal);
    },
    async kill() {
      if (exitCode !== undefined) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return;
      child.kill('SIGCONT'); // a paused process cannot shut down
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return handle;
}
