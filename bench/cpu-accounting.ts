/**
 * Who used the machine's cores during a benchmark phase, from Linux /proc (every value is null
 * elsewhere): the server, the hardhat node, PostgreSQL's backends, the load generator (this
 * process), the whole machine, and "other" (everything else: subscriber clients, Redis, the VM's
 * own agents). Also how long the server's threads were ready to run but waited for a core
 * (/proc/<pid>/task/<tid>/schedstat): on a 2-core machine shared with the load generator and
 * PostgreSQL, that wait is a large part of each vote's latency even when the cores are not all busy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process has used, or null if it is gone (or this is not Linux). */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number | null {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const ticks = values.map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS; // minus idle and iowait
  } catch {
    return null;
  }
}

/** Seconds the process's threads have been waiting on a run queue (ready, no core free), summed. */
function runQueueWaitSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    let waited = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      // schedstat: time on a core, time waiting on a run queue (both ns), time slices
      const [, waitNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ');
      waited += Number(waitNs) / 1e9;
    }
    return waited;
  } catch {
    return null;
  }
}

/** The hardhat node serving this port (startLocalChain does not expose its child). */
export function findChainPid(port: string): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const portIndex = args.indexOf('--port');
      if (portIndex >= 0 && args[portIndex + 1] === port && args.some((a) => a.includes('hardhat'))) return Number(entry);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/**
 * CPU seconds of each PostgreSQL backend on the bench database (the server's pool), by pid; null
 * when none can be read (not Linux). A backend that ended meanwhile is left out.
 */
async function postgresBackends(pool: pg.Pool): Promise<Map<number, number> | null> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    const used = processCpuSeconds(pid);
    if (used !== null) seconds.set(pid, used);
  }
  return rows.length > 0 && seconds.size === 0 ? null : seconds;
}

interface Snapshot {
  at: number;
  server: number | null;
  serverWaited: number | null;
  chain: number | null;
  bench: number;
  machine: number | null;
  postgres: Map<number, number> | null;
}

export interface CpuReport {
  /** Average cores used per component over the phase. */
  cores: { server: number | null; hardhat: number | null; postgres: number | null; loadGenerator: number | null; machine: number | null; other: number | null };
  /** Average number of server threads that were ready to run but waited for a core. */
  serverWaitingForCore: number | null;
  /** CPU time per vote (µs): the server's, PostgreSQL's, and the whole machine's. */
  perVoteMicros: { server: number | null; postgres: number | null; machine: number | null };
}

export interface CpuMeter {
  /** Ends the measurement; `votes` acknowledged during it give the per-vote figures. */
  stop(votes: number): Promise<CpuReport>;
}

export async function startCpuMeter(options: { serverPid: number | undefined; chainPid: number | undefined; pool: pg.Pool }): Promise<CpuMeter> {
  const snapshot = async (): Promise<Snapshot> => {
    const postgres = await postgresBackends(options.pool);
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      server: processCpuSeconds(options.serverPid),
      serverWaited: runQueueWaitSeconds(options.serverPid),
      chain: processCpuSeconds(options.chainPid),
      bench: (usage.user + usage.system) / 1e6,
      machine: machineBusySeconds(),
      postgres,
    };
  };
  const before = await snapshot();
  return {
    async stop(votes) {
      const after = await snapshot();
      const seconds = (after.at - before.at) / 1000;
      const used = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
      // A backend that started during the phase counts from zero.
      let postgresSeconds: number | null = null;
      if (before.postgres && after.postgres) {
        postgresSeconds = 0;
        for (const [pid, total] of after.postgres) postgresSeconds += total - (before.postgres.get(pid) ?? 0);
      }
      const server = used(before.server, after.server);
      const parts = { server, hardhat: used(before.chain, after.chain), postgres: postgresSeconds, loadGenerator: after.bench - before.bench };
      const machine = used(before.machine, after.machine);
      const known = Object.values(parts);
      const other = machine === null || known.some((v) => v === null) ? null : machine - known.reduce((a: number, b) => a + b!, 0);
      const perCore = (value: number | null) => (value === null ? null : Math.round((value / seconds) * 100) / 100);
      const perVote = (value: number | null) => (value === null || votes === 0 ? null : Math.round((value / votes) * 1e6));
      return {
        cores: {
          server: perCore(parts.server),
          hardhat: perCore(parts.hardhat),
          postgres: perCore(parts.postgres),
          loadGenerator: perCore(parts.loadGenerator),
          machine: perCore(machine),
          other: perCore(other),
        },
        serverWaitingForCore: perCore(used(before.serverWaited, after.serverWaited)),
        perVoteMicros: { server: perVote(server), postgres: perVote(postgresSeconds), machine: perVote(machine) },
      };
    },
  };
}

/** One log line: "cores used: … ; per vote: …". */
export function describeCpu(report: CpuReport): string {
  const show = (value: number | null) => (value === null ? '?' : String(value));
  const cores = Object.entries(report.cores)
    .map(([name, value]) => `${name} ${show(value)}`)
    .join(', ');
  const { server, postgres, machine } = report.perVoteMicros;
  return (
    `cores used: ${cores} (of ${os.cpus().length}); server threads waiting for a core: ${show(report.serverWaitingForCore)}; ` +
    `CPU per vote: server ${show(server)} µs, postgres ${show(postgres)} µs, machine ${show(machine)} µs`
  );
}
