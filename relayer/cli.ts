/**
 * The relayer's operator CLI (`npm run relayer:cli -- <command>`; in the image: `docker run IMAGE cli <command>`).
 * It reads the same configuration as the server and the relayer (DATABASE_URL, REDIS_URL, REDIS_PREFIX,
 * RPC_URL, CHAIN_ID, …) and needs no relayer key: a dry run simulates from RELAYER_ADDRESS (or the address
 * of RELAYER_PRIVATE_KEY when that is set).
 *
 *   status <proposalId>                the execution row, derived ids, the chain's view, pins, jobs, in-flight transactions
 *   list [--status s[,s]] [--limit n]  executions, most recently changed first
 *   dry-run <proposalId>               every remaining step and every payload call, simulated with eth_call; sends nothing
 *   retry <proposalId>                 a failed (or operator-cancelled) execution goes back to what the chain says; its step is queued
 *   cancel-job <proposalId>            removes the proposal's waiting/delayed jobs and parks the execution (failed,
 *                                      cancelled-by-operator) until a retry; nothing changes on chain
 *   metrics                            queue depth, executions by status and the relayer balance (Prometheus text)
 *
 * --json prints the machine-readable report instead of text. Exit codes: 0 done, 1 failed (e.g. unknown
 * proposal), 2 usage.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPool } from '../core/database.js';
import { Queue } from 'bullmq';
import { pino, type Logger } from 'pino';
import { loadConfigOrExit, type Config } from '../core/config.js';
import { loggerOptions } from '../core/logger.js';
import { connectChain } from '../core/chain/connect.js';
import { closeRedis, createRedis } from '../core/redis.js';
import { bullPrefix, QUEUE_NAMES, type ExecutionJobData } from '../core/queues.js';
import { PermanentError } from '../core/executions/errors.js';
import { collectMetrics } from './metrics.js';
import type { DryRunReport, ExecutionStatusReport, Simulation } from '../core/executions/operator.js';
import { bindOperator, operatorDeps, relayerAddressOf, toJson } from '../core/executions/operator-api.js';
import { EXECUTION_STATUSES, type ExecutionRow } from '../core/executions/repository.js';

export const USAGE = `usage: npm run relayer:cli -- <command> [options]

  status <proposalId>                execution status, derived ids, the chain's view, pins, jobs, in-flight transactions
  list [--status s[,s]] [--limit n]  executions, most recently changed first (statuses: ${EXECUTION_STATUSES.join(', ')})
  dry-run <proposalId>               simulate every remaining step and payload call with eth_call; nothing is sent
  retry <proposalId>                 put a failed or operator-cancelled execution back on track and queue its step
  cancel-job <proposalId>            remove the proposal's waiting/delayed jobs and park the execution until a retry
  metrics                            queue depth, executions by status, relayer balance (Prometheus text)

options: --json (machine-readable output), --help`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const COMMANDS = ['status', 'list', 'dry-run', 'retry', 'cancel-job', 'metrics'] as const;
type Command = (typeof COMMANDS)[number];
const PROPOSAL_ID = /^0x[0-9a-fA-F]{64}$/;

const d = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : '-');
const sim = (s: Simulation | null) =>
  s === null ? 'not simulated (an earlier step must land first)' : s.ok ? `ok (gas ${s.gasEstimate})` : `reverts: ${s.error}`;

function formatRow(e: ExecutionRow): string {
  return [e.proposalId, e.status.padEnd(9), d(e.updatedAt), e.operationId ?? '-', e.reason ?? ''].join('  ').trimEnd();
}

export function formatStatus(r: ExecutionStatusReport): string {
  const e = r.execution;
  const lines = [
    `proposal ${r.proposalId}: state ${r.proposalState}, execution ${r.executionMode}`,
    e
      ? `execution: ${e.status}${e.reason ? ` (${e.reason})` : ''}\n  operation ${e.operationId ?? '-'}\n  schedule tx ${e.scheduleTx ?? '-'}  eta ${d(e.eta)}\n  execute tx ${e.executeTx ?? '-'}  block ${e.executeBlock ?? '-'}\n  updated ${d(e.updatedAt)}`
      : 'execution: no record (the proposal has not passed)',
  ];
  if (r.plan) {
    lines.push(
      `derived: operation ${r.plan.operationId}, timelock ${r.plan.timelock}, salt ${r.plan.salt}${r.plan.governorProposalId ? `, Governor proposal ${r.plan.governorProposalId}` : ''}`,
    );
  }
  lines.push(
    `chain: head block ${r.chain.headBlock} at ${r.chain.headTime}; operation ${r.chain.operationState ?? '-'}${r.chain.readyAt ? `, ready at ${r.chain.readyAt}` : ''}${r.chain.governorState ? `; Governor ${r.chain.governorState}${r.chain.governorEta ? ` (ETA ${r.chain.governorEta})` : ''}` : ''}`,
  );
  const changed = r.pins.filter((p) => !p.ok);
  lines.push(
    changed.length
      ? `pins: CHANGED ${changed.map((p) => `${p.target} (${p.recorded ?? 'none recorded'} → ${p.current})`).join(', ')}`
      : `pins: ${r.pins.length} target(s), code unchanged since the proposal`,
  );
  lines.push(r.jobs.length ? 'jobs:' : 'jobs: none');
  for (const j of r.jobs) {
    lines.push(
      `  ${j.id}  ${j.state}  attempts ${j.attemptsMade}${j.delayUntil ? `  until ${j.delayUntil}` : ''}${j.failedReason ? `  (${j.failedReason})` : ''}`,
    );
  }
  lines.push(r.pendingTx.length ? 'in-flight transactions:' : 'in-flight transactions: none');
  for (const t of r.pendingTx) lines.push(`  ${t.step}: nonce ${t.nonce ?? '-'}, hashes ${(t.hashes ?? []).join(', ') || '-'}`);
  return lines.join('\n');
}

export function formatDryRun(r: DryRunReport): string {
  const lines = [`dry run of proposal ${r.proposalId} (${r.executionMode} path); nothing is sent`];
  if (r.remaining.length === 0) {
    lines.push(r.action);
    return lines.join('\n');
  }
  lines.push("remaining steps (simulated from the relayer's address):");
  r.remaining.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.step}: ${s.action} on ${s.to}, ${s.when}`);
    lines.push(`     simulation: ${sim(s.simulation)}`);
  });
  lines.push(`payload calls (simulated now from the timelock, one by one):`);
  for (const c of r.calls) lines.push(`  ${c.index + 1}. ${c.target} value ${c.value} data ${c.data.slice(0, 10)}…: ${sim(c.simulation)}`);
  const changed = r.pins.filter((p) => !p.ok);
  lines.push(changed.length ? `pins: CHANGED ${changed.map((p) => p.target).join(', ')}` : 'pins: code unchanged since the proposal');
  if (r.refusal) lines.push(`the relayer would refuse: ${r.refusal}`);
  return lines.join('\n');
}

/** Runs one command against the configured database, Redis and chain; returns the exit code. */
export async function runCli(argv: string[], config: Config, io: CliIo, logger?: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, proposalId, ...extra] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    io.err(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const needsId = command !== 'list' && command !== 'metrics';
  if (needsId && (!proposalId || !PROPOSAL_ID.test(proposalId))) {
    io.err(`${command} needs a proposal id (0x followed by 64 hex digits)\n\n${USAGE}`);
    return 2;
  }
  if ((!needsId && proposalId) || extra.length) {
    io.err(`unexpected argument "${needsId ? extra[0] : proposalId}"\n\n${USAGE}`);
    return 2;
  }
  const statuses = values.status
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = statuses?.find((s) => !(EXECUTION_STATUSES as readonly string[]).includes(s));
  if (bad) {
    io.err(`unknown status "${bad}" (one of ${EXECUTION_STATUSES.join(', ')})`);
    return 2;
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    io.err('--limit must be an integer from 1 to 1000');
    return 2;
  }

  const log = logger ?? pino({ ...loggerOptions(config, 'govrelay-cli'), level: 'warn' }, pino.destination(2));
  const chain = await connectChain(config);
  const { provider } = chain;
  const pool = createPool(config, { max: 2 });
  const redis = createRedis(config, { maxRetriesPerRequest: 2 });
  const queue = new Queue<ExecutionJobData>(QUEUE_NAMES.execution, { connection: redis, prefix: bullPrefix(config.REDIS_PREFIX) });
  try {
    const api = bindOperator(operatorDeps({ config, pool, queue, redis, provider, logger: log }));
    const print = (json: unknown, text: string) => io.out(values.json ? JSON.stringify(toJson(json), null, 2) : text);
    switch (command as Command) {
      case 'status': {
        const report = await api.getStatus(proposalId!);
        print(report, formatStatus(report));
        break;
      }
      case 'list': {
        const rows = await api.list({ ...(statuses ? { statuses } : {}), limit });
        print(rows, rows.length ? ['PROPOSAL  STATUS  UPDATED  OPERATION  REASON', ...rows.map(formatRow)].join('\n') : 'no executions');
        break;
      }
      case 'dry-run': {
        const report = await api.dryRun(proposalId!);
        print(report, formatDryRun(report));
        break;
      }
      case 'retry': {
        const result = await api.retry(proposalId!);
        print(result, result.step ? `execution ${result.status}: queued step ${result.step}` : `execution ${result.status}: nothing to queue`);
        break;
      }
      case 'cancel-job': {
        const result = await api.cancelJob(proposalId!);
        print(
          result,
          [
            `removed jobs: ${result.removed.join(', ') || 'none'}`,
            ...(result.running.length ? [`still running (left to finish its step): ${result.running.join(', ')}`] : []),
            `execution ${result.status ?? '-'}${result.status === 'failed' ? ' (parked until `retry`; nothing changed on chain)' : ''}`,
          ].join('\n'),
        );
        break;
      }
      case 'metrics': {
        const text = await collectMetrics({ pool, queue, provider, address: relayerAddressOf(config), lowBalanceWei: BigInt(config.RELAYER_LOW_BALANCE_WEI) });
        io.out(text.trimEnd());
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof PermanentError) {
      io.err(`${command} failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await queue.close().catch(() => undefined);
    await closeRedis(redis);
    await pool.end();
    chain.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // The CLI signs no receipts: no RECEIPT_PRIVATE_KEY needed, even with NODE_ENV=production.
  const config = loadConfigOrExit(process.env, { receiptKey: false });
  const io: CliIo = { out: (text) => console.log(text), err: (text) => console.error(text) };
  runCli(process.argv.slice(2), config, io).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`relayer:cli failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
