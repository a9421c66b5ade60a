/**
 * The relayer's health report and its metrics in the Prometheus text format (version 0.0.4), served by
 * the relayer process on RELAYER_HTTP_PORT (relayer/http.ts) and printed by `relayer:cli metrics`.
 *
 *   govrelay_execution_jobs{state}                  jobs on the execution queue, by BullMQ state (queue depth)
 *   govrelay_executions{status}                     executions by status (PostgreSQL); status="failed" is the alert
 *   govrelay_relayer_job_failures_total{step}       failed job attempts since this process started (retried or not)
 *   govrelay_relayer_balance_wei                    the relayer key's balance
 *   govrelay_relayer_low_balance                    1 when that balance is below RELAYER_LOW_BALANCE_WEI, else 0
 *   govrelay_relayer_low_balance_threshold_wei      RELAYER_LOW_BALANCE_WEI
 *   govrelay_chain_head_block                       the chain's latest block
 *   govrelay_reconciler_last_success_seconds        when the reconciler last finished a pass (unix time)
 *   govrelay_relayer_up                             1 while the worker runs
 *   govrelay_log_anchor_last_success_seconds        with LOG_ANCHOR_ADDRESS: when an anchoring pass last finished (unix time)
 *   govrelay_log_anchor_tree_size                   the log size the LogAnchor contract held at that pass
 *   govrelay_log_anchor_failures_total              anchoring passes that failed since the process started
 *   govrelay_metrics_source_up{source}              0 when a source (database, redis, chain) could not be read for this scrape
 */
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JsonRpcProvider } from 'ethers';
import { countExecutionsByStatus } from '../core/executions/repository.js';
import { EXECUTION_STATUSES } from '../core/executions/repository.js';
import { family } from '../core/prometheus.js';
import type { LogAnchorStatus } from './log-anchor.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

export interface MetricsSource {
  pool: Pick<pg.Pool, 'query'>;
  queue: Pick<Queue, 'getJobCounts'>;
  provider: Pick<JsonRpcProvider, 'getBalance' | 'getBlockNumber'>;
  /** The relayer's address; without it the balance metrics are left out. */
  address: string | null;
  lowBalanceWei: bigint;
  /** Failed job attempts by job name since the process started (ExecutionWorker.failures). */
  failures?: ReadonlyMap<string, number>;
  workerRunning?: boolean;
  reconcilerLastSuccessAt?: number | null;
  /** The log anchoring job, when LOG_ANCHOR_ADDRESS is set. */
  logAnchor?: LogAnchorStatus;
}

/** Reads every source once and renders the exposition text. A source that fails is reported as down, not as an error. */
export async function collectMetrics(source: MetricsSource): Promise<string> {
  const out: string[] = [];
  const up: Record<string, number> = { database: 1, redis: 1, chain: 1 };

  try {
    const counts = await source.queue.getJobCounts(...JOB_STATES);
    out.push(
      family(
        'govrelay_execution_jobs',
        'gauge',
        'Jobs on the execution queue by BullMQ state (queue depth).',
        JOB_STATES.map((state) => ({ labels: { state }, value: counts[state] ?? 0 })),
      ),
    );
  } catch {
    up.redis = 0;
  }

  try {
    const byStatus = await countExecutionsByStatus(source.pool);
    out.push(
      family(
        'govrelay_executions',
        'gauge',
        'Executions by status (failed: waiting for an operator).',
        EXECUTION_STATUSES.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
      ),
    );
  } catch {
    up.database = 0;
  }

  if (source.failures) {
    const samples = [...source.failures.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([step, n]) => ({ labels: { step }, value: n }));
    out.push(
      family(
        'govrelay_relayer_job_failures_total',
        'counter',
        'Failed execution job attempts since this relayer process started, by step (transient ones are retried).',
        samples,
      ),
    );
  }

  try {
    const head = await source.provider.getBlockNumber();
    out.push(family('govrelay_chain_head_block', 'gauge', "The chain's latest block number.", [{ value: head }]));
    if (source.address) {
      const balance = await source.provider.getBalance(source.address);
      out.push(family('govrelay_relayer_balance_wei', 'gauge', "The relayer key's balance in wei.", [{ labels: { address: source.address }, value: balance }]));
      out.push(
        family('govrelay_relayer_low_balance', 'gauge', 'Low-balance warning: 1 when the balance is below RELAYER_LOW_BALANCE_WEI.', [
          { value: balance < source.lowBalanceWei ? 1 : 0 },
        ]),
      );
    }
  } catch {
    up.chain = 0;
  }
  out.push(family('govrelay_relayer_low_balance_threshold_wei', 'gauge', 'RELAYER_LOW_BALANCE_WEI.', [{ value: source.lowBalanceWei }]));

  if (source.reconcilerLastSuccessAt !== undefined) {
    out.push(
      family('govrelay_reconciler_last_success_seconds', 'gauge', 'Unix time when the reconciler last finished a pass (0: not yet).', [
        { value: source.reconcilerLastSuccessAt ? Math.floor(source.reconcilerLastSuccessAt / 1000) : 0 },
      ]),
    );
  }
  if (source.workerRunning !== undefined) {
    out.push(family('govrelay_relayer_up', 'gauge', '1 while the execution worker is running.', [{ value: source.workerRunning ? 1 : 0 }]));
  }
  if (source.logAnchor) {
    const anchor = source.logAnchor;
    out.push(
      family('govrelay_log_anchor_last_success_seconds', 'gauge', 'Unix time when a log anchoring pass last finished without an error (0: not yet).', [
        { value: anchor.lastSuccessAt ? Math.floor(anchor.lastSuccessAt / 1000) : 0 },
      ]),
      family('govrelay_log_anchor_tree_size', 'gauge', 'The log size the LogAnchor contract held at the last successful pass (0: not yet).', [
        { value: anchor.anchoredTreeSize ?? 0 },
      ]),
      family(
        'govrelay_log_anchor_failures_total',
        'counter',
        'Log anchoring passes that failed since this relayer process started (each is retried at the next interval).',
        [{ value: anchor.failures }],
      ),
    );
  }
  out.push(
    family(
      'govrelay_metrics_source_up',
      'gauge',
      '0 when a source could not be read for this scrape.',
      Object.entries(up).map(([name, value]) => ({ labels: { source: name }, value })),
    ),
  );
  return `${out.join('\n')}\n`;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, string>;
  /** Conditions to act on that do not make the relayer unhealthy (a low balance). */
  warnings: string[];
}

export interface HealthSource {
  pool: Pick<pg.Pool, 'query'>;
  redis: Pick<Redis, 'ping'>;
  provider: Pick<JsonRpcProvider, 'getBalance' | 'getBlockNumber'>;
  address: string;
  lowBalanceWei: bigint;
  workerRunning: boolean | null;
  reconciler: { lastSuccessAt: number | null; intervalMs: number; startedAt: number } | null;
  /** The log anchoring job, when LOG_ANCHOR_ADDRESS is set. */
  logAnchor?: LogAnchorStatus | null;
}

/**
 * How long a periodic job (the reconciler, the log anchoring) has gone without a successful pass, in
 * ms, when that is longer than it may: 3 intervals, at least a minute, counted from its start until
 * its first success. Null: it is recent enough.
 */
function overdueMs(job: { lastSuccessAt: number | null; startedAt: number; intervalMs: number }, now: number): number | null {
  const since = now - (job.lastSuccessAt ?? job.startedAt);
  return since <= Math.max(3 * job.intervalMs, 60_000) ? null : since;
}

/**
 * The anchoring job is healthy when it runs and a pass finished recently (overdueMs), as the
 * reconciler: a server whose head is not anchored for that long is one whose history the chain does
 * not yet pin. The last failure's reason says why.
 */
export function logAnchorCheck(anchor: LogAnchorStatus, now = Date.now()): string {
  if (!anchor.running) return 'not running';
  const overdue = overdueMs(anchor, now);
  if (overdue === null) return 'ok';
  return `no successful anchoring pass for ${Math.round(overdue / 1000)} s${anchor.lastFailure ? ` (last failure: ${anchor.lastFailure})` : ''}`;
}

/**
 * ok when the database, Redis and the chain answer, the worker runs, and the reconciler (and, with
 * LOG_ANCHOR_ADDRESS, the anchoring job) finished a pass recently (within 3 intervals, at least a
 * minute). A low balance is a warning, not a failure: restarting the relayer would not fix it.
 */
export async function checkHealth(source: HealthSource): Promise<HealthReport> {
  const check = async (probe: () => Promise<unknown>) => {
    try {
      await probe();
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message.slice(0, 200) : 'failed';
    }
  };
  const checks: Record<string, string> = {
    database: await check(() => source.pool.query('SELECT 1')),
    redis: await check(() => source.redis.ping()),
    chain: await check(() => source.provider.getBlockNumber()),
  };
  if (source.workerRunning !== null) checks.worker = source.workerRunning ? 'ok' : 'not running';
  if (source.reconciler) {
    const overdue = overdueMs(source.reconciler, Date.now());
    checks.reconciler = overdue === null ? 'ok' : `no successful pass for ${Math.round(overdue / 1000)} s`;
  }
  if (source.logAnchor) checks.logAnchor = logAnchorCheck(source.logAnchor);
  const warnings: string[] = [];
  if (checks.chain === 'ok') {
    try {
      const balance = await source.provider.getBalance(source.address);
      if (balance < source.lowBalanceWei) warnings.push(`relayer balance ${balance} wei is below RELAYER_LOW_BALANCE_WEI ${source.lowBalanceWei}`);
    } catch {
      // the chain check above reports the node
    }
  }
  return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded', checks, warnings };
}
