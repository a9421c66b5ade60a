/**
 * Inclusion proofs over HTTP from a log of 1,000,000 leaves (issue 17's `inclusion_proof_ms_p99`):
 *
 *   npx tsx bench/inclusion-proof.ts [leaves]     (default INCLUSION_BENCH_LEAVES, 1000000)
 *
 * The log is filled through the log module's own append path (core/log/append.ts `planAppend`:
 * the leaves' perfect subtrees, the root, the signed tree head; core/db/log.ts `insertLogAppend`:
 * leaves, nodes and head in one statement, under the append lock), INCLUSION_BENCH_APPEND (20,000)
 * leaves per append, with synthetic leaves (random message ids and signature hashes: no signed
 * messages behind them, which the proof endpoint does not read). Then the govrelay app (in this
 * process, production settings, on a chain of its own) answers INCLUSION_BENCH_REQUESTS (5,000)
 * `GET /api/log/proof/inclusion?id=…` for leaves picked at random, INCLUSION_BENCH_CONCURRENCY (8)
 * in flight; every answer's audit path is verified against the latest head's root with
 * verify/merkle.ts. Latency is request to parsed answer, p50/p99/max, with the client in the same
 * process as the server (the figure includes that client's share of the event loop).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import secp256k1 from 'secp256k1';
import { id as textHash } from 'ethers';
import { bytesToHex } from '../server/eip712/digest.js';
import { planAppend, type LogLeafInput } from '../core/log/append.js';
import { insertLogAppend, lockAndReadFrontier } from '../core/db/log.js';
import { fromHex, verifyInclusion } from '../verify/merkle.js';
import { startChainAndDatabase, startInProcessApp } from './in-process-stack.js';
import { intFromEnv } from './env.js';
import { runAsScript } from './run-as-script.js';

const DEPLOYMENT_SALT = textHash('govrelay inclusion bench deployment');
const RECEIPT_KEY = textHash('govrelay inclusion bench receipt key');

export interface InclusionBenchOptions {
  leaves?: number;
  leavesPerAppend?: number;
  requests?: number;
  concurrency?: number;
  log?: (message: string) => void;
}

export interface InclusionBenchResult {
  leaves: number;
  fillSeconds: number;
  requests: number;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerSecond: number;
  /** CPU seconds of this process (server + client) during the requests, and the 1-minute load average before and after. */
  cpuSeconds: number;
  loadBefore: number;
  loadAfter: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Fills the log of `databaseUrl` to `total` leaves through planAppend + insertLogAppend; the message ids, by index. */
async function fillLog(databaseUrl: string, total: number, perAppend: number, log: (m: string) => void): Promise<string[]> {
  const key = Buffer.from(RECEIPT_KEY.slice(2), 'hex');
  const sign = (digest: Uint8Array): string => {
    const { signature, recid } = secp256k1.ecdsaSign(digest, key);
    const out = new Uint8Array(65);
    out.set(signature, 0);
    out[64] = 27 + recid;
    return bytesToHex(out);
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const ids: string[] = [];
  try {
    const client = await pool.connect();
    try {
      const base = Date.now() - total;
      for (let start = 0; start < total; start += perAppend) {
        const leaves: LogLeafInput[] = [];
        for (let i = start; i < Math.min(total, start + perAppend); i++) {
          const messageId = `0x${randomBytes(32).toString('hex')}`;
          ids.push(messageId);
          leaves.push({ messageId, signatureHash: randomBytes(32), receivedAt: new Date(base + i) });
        }
        await client.query('BEGIN');
        const frontier = await lockAndReadFrontier(client);
        if (frontier.size !== start) throw new Error(`log: expected size ${start}, found ${frontier.size}`);
        const planned = planAppend(frontier, leaves, sign);
        await insertLogAppend(client, planned.document);
        await client.query('COMMIT');
        if ((start / perAppend) % 10 === 9) log(`  ${start + leaves.length} leaves`);
      }
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
  return ids;
}

export async function benchmarkInclusionProofs(options: InclusionBenchOptions = {}): Promise<InclusionBenchResult> {
  const total = options.leaves ?? 1_000_000;
  const perAppend = options.leavesPerAppend ?? intFromEnv('INCLUSION_BENCH_APPEND', 20_000);
  const requests = options.requests ?? intFromEnv('INCLUSION_BENCH_REQUESTS', 5000);
  const concurrency = options.concurrency ?? intFromEnv('INCLUSION_BENCH_CONCURRENCY', 8);
  const log = options.log ?? ((m: string) => console.log(`[inclusion] ${m}`));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { chain, databaseUrl, multicall } = await startChainAndDatabase('govrelay_bench_inclusion', cleanups);
    log(`filling the log with ${total} leaves, ${perAppend} per append`);
    const fillStarted = performance.now();
    const ids = await fillLog(databaseUrl, total, perAppend, log);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    log(`filled in ${fillSeconds.toFixed(1)} s`);

    const { get } = await startInProcessApp(
      { name: 'inclusion', chain, databaseUrl, multicall, deploymentSalt: DEPLOYMENT_SALT, receiptKey: RECEIPT_KEY },
      cleanups,
    );
    const head = (await get('/api/log/head')) as { treeSize: number; rootHash: string };
    if (head.treeSize !== total) throw new Error(`the latest head has size ${head.treeSize}, not ${total}`);
    const root = fromHex(head.rootHash);

    log(`${requests} inclusion proofs, ${concurrency} in flight`);
    const latencies: number[] = [];
    let next = 0;
    const loadBefore = loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          const index = Math.floor(Math.random() * total);
          const t0 = performance.now();
          const proof = (await get(`/api/log/proof/inclusion?id=${ids[index]}`)) as {
            leafIndex: number;
            treeSize: number;
            leafHash: string;
            auditPath: string[];
          };
          latencies.push(performance.now() - t0);
          if (proof.leafIndex !== index || !verifyInclusion(index, total, fromHex(proof.leafHash), proof.auditPath.map(fromHex), root))
            throw new Error(`the inclusion proof of leaf ${index} does not verify`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const loadAfter = loadavg()[0]!;
    const sorted = latencies.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const result: InclusionBenchResult = {
      leaves: total,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      requests,
      concurrency,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1)!),
      requestsPerSecond: Math.round(requests / seconds),
      cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
      loadBefore: Math.round(loadBefore * 100) / 100,
      loadAfter: Math.round(loadAfter * 100) / 100,
    };
    log(
      `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms; ${result.requestsPerSecond}/s; load ${result.loadBefore} → ${result.loadAfter}`,
    );
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const raw = process.argv[2] ?? process.env.INCLUSION_BENCH_LEAVES;
  const leaves = raw ? Number(raw) : 1_000_000;
  if (!Number.isInteger(leaves) || leaves < 1) throw new Error(`leaves must be an integer >= 1 (got ${raw})`);
  console.log(JSON.stringify(await benchmarkInclusionProofs({ leaves }), null, 2));
}

await runAsScript(import.meta.url, 'inclusion', main);
