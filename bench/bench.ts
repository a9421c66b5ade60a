/**
 * The performance benchmark: every figure of the performance issue, against the real stack.
 *
 *   npm run bench                      (= tsx bench/bench.ts; see bench/README.md)
 *
 * Starts what the tests start (a local hardhat chain with Multicall3, a fresh migrated PostgreSQL
 * database, a Redis key prefix of its own) and the govrelay server as a separate child process on
 * 127.0.0.1 with production settings. Funds BENCH_VOTERS voters with a test-only ERC20
 * (test/contracts/BenchToken.sol, mintMany), creates a space (token-weighted, balanceOf) and three
 * proposals through signed HTTP messages, pre-signs every vote, and then measures in turn:
 *   1. single-vote HTTP requests for BENCH_HTTP_SECONDS, BENCH_CONCURRENCY in flight, with
 *      BENCH_HTTP_SUBSCRIBERS WebSocket subscribers on that proposal (bench/load.ts);
 *   2. the batch endpoint, 500 votes per request, 4 requests in flight;
 *   3. BENCH_WS_SUBSCRIBERS subscribers on one proposal while votes arrive at 5,000/s, and the latency
 *      from each acknowledgement to the first update that contains it (bench/ws-fanout.ts);
 *   4. every acknowledged vote against the database (nothing lost, nothing extra, latest vote counted);
 *   5. voting power of every voter at the snapshot through the production strategy code, counting RPC
 *      calls (bench/voting-power.ts);
 *   6. the final tally of 1,000,000 votes and its peak memory, in a child process (bench/tally-1m.ts);
 *   7. the signature-check micro-benchmark on a quiet machine (bench/verify.ts);
 *   8. the members' app budgets on a stack of its own (bench/web.ts): initial JavaScript gzipped, a
 *      10,000-vote proposal's results visible after navigation, and vote-to-screen latency.
 *   9. inclusion proofs over HTTP from a log of 1,000,000 leaves (bench/inclusion-proof.ts).
 * Before the server stops, the verify command (verify/cli.ts, a child process under /usr/bin/time)
 * checks the batch proposal end to end against it and the chain (verify_100k_votes_s).
 * It prints each figure with its target and writes bench/results.json. Everything it started is
 * stopped, and its database and Redis keys are deleted, whether the run succeeds or not. Exit code 0
 * when the run completed (figures may miss their targets: this is a measurement, not a test), 1 on
 * any setup or run error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import secp256k1 from 'secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { getAddress, id as textHash, verifyTypedData, type Contract, type TypedDataField, type Wallet } from 'ethers';
import { projectRoot } from '../core/project-root.js';
import { compileContracts } from '../scripts/compile-contracts.js';
import { deployContract, freePort, mineBlocks, startLocalChain, type LocalChain } from '../scripts/local-chain.js';
import { installMulticall } from '../test/helpers/multicall.js';
import { bytesToHex, createDigester } from '../server/eip712/digest.js';
import { buildDomain, MESSAGE_TYPES, typesFor, type Eip712Domain, type MessageByType, type PrimaryType, type VoteMessage } from '../server/eip712/types.js';
import { ZERO_HASH } from '../core/proposals/payload.js';
import { findProposal } from '../core/proposals/repository.js';
import type { PreloadStatus } from '../server/votes/power-preload.js';
import { tallyStage } from '../server/votes/stage-tally.js';
import { benchmarkVerify } from './verify.js';
import { describeCpu, findChainPid, startCpuMeter } from './cpu-accounting.js';
import { createScratchDatabase } from './database.js';
import { runBatches, runSustained, type Acknowledged, type SignedVotes } from './load.js';
import { fanoutLatency, startSubscribers, type Subscribers } from './ws-fanout.js';
import { benchmarkTally1m } from './tally-1m.js';
import { benchmarkVotingPower } from './voting-power.js';
import { benchmarkWeb } from './web.js';
import { runVerifyCommand } from './verify-proposal.js';
import { benchmarkInclusionProofs } from './inclusion-proof.js';
import { SERVER_NODE_FLAGS } from '../server/node-flags.js';
import { intFromEnv } from './env.js';
import { benchVoters } from './in-process-stack.js';

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** Funded voters; the HTTP phase re-votes in later rounds when it needs more votes than voters. */
const VOTERS = intFromEnv('BENCH_VOTERS', 100_000);
/** Voters who delegate off chain in the delegation power figure, and how many delegates they choose from (the issue's 20,000 → 500). */
const DELEGATORS = Math.min(20_000, Math.floor(VOTERS / 5));
const DELEGATES = Math.min(500, Math.max(1, Math.floor(VOTERS / 200)));
const HTTP_SECONDS = intFromEnv('BENCH_HTTP_SECONDS', 60);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 128);
const HTTP_SUBSCRIBERS = intFromEnv('BENCH_HTTP_SUBSCRIBERS', 1000, 0);
const WS_SUBSCRIBERS = intFromEnv('BENCH_WS_SUBSCRIBERS', 10_000);
const WS_SECONDS = intFromEnv('BENCH_WS_SECONDS', 20);
const TALLY_VOTES = intFromEnv('BENCH_TALLY_VOTES', 1_000_000);
const MINT_BATCH = intFromEnv('BENCH_MINT_BATCH', 600);
const VERIFY_COUNT = intFromEnv('BENCH_VERIFY_COUNT', 4000);
const INCLUSION_LEAVES = intFromEnv('BENCH_INCLUSION_LEAVES', 1_000_000);
const VERIFY_CPU_PROF_DIR = process.env.BENCH_VERIFY_CPU_PROF ? resolve(process.env.BENCH_VERIFY_CPU_PROF) : undefined;
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const CPU_PROF_DIR = process.env.BENCH_SERVER_CPU_PROF ? resolve(process.env.BENCH_SERVER_CPU_PROF) : undefined;
/** `intake`: only the HTTP and batch phases (a few minutes), for comparing settings in interleaved runs; results.json is not written. */
const ONLY = process.env.BENCH_ONLY ?? '';
if (ONLY !== '' && ONLY !== 'intake') throw new Error(`BENCH_ONLY must be unset or "intake" (got ${JSON.stringify(ONLY)})`);

const TOKEN = 10n ** 18n;
/** Per-transaction gas cap of the local node (EIP-7825, 2^24): a mintMany batch must fit in it. */
const TX_GAS_CAP = 16_777_216n;
const SPACE_ID = 'bench';
/** Not a secret: deterministic keys for a throwaway local chain. */
const DEPLOYMENT_SALT = textHash('govrelay bench deployment');
const RECEIPT_KEY = textHash('govrelay bench receipt key');
const VOTER_SEED = keccak_256(Buffer.from('govrelay bench voters v1'));
const STAGE_PERIOD_S = 3600;
/** The targets of issue 5 (the HTTP rate also sets how many votes are signed for the sustained run). */
const TARGET_HTTP_VOTES_PER_S = 5000;
const WS_INGEST_VOTES_PER_S = 5000;
const BATCH_SIZE = 500;

/** Voter i holds 1..10 tokens, by funding batch: the tally then has more than one power value. */
const amountForBatch = (batch: number) => BigInt(1 + (batch % 10)) * TOKEN;
const amountForVoter = (i: number) => amountForBatch(Math.floor(i / MINT_BATCH));

// ---------------------------------------------------------------------------------------------
// Output helpers
// ---------------------------------------------------------------------------------------------

const benchStarted = performance.now();
const phases: Record<string, number> = {};

function log(message: string): void {
  const at = ((performance.now() - benchStarted) / 1000).toFixed(1).padStart(6);
  console.log(`[bench ${at}s] ${message}`);
}

async function phase<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  log(`${name} ...`);
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  phases[name] = Math.round(seconds * 100) / 100;
  log(`${name}: ${seconds.toFixed(2)} s`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Teardown: everything started registers how to stop it; stopped in reverse order, once.
// ---------------------------------------------------------------------------------------------

const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;

function onCleanup(name: string, run: () => Promise<unknown>): void {
  cleanups.push({ name, run });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, run } of cleanups.splice(0).reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`[bench] cleanup "${name}" failed:`, error instanceof Error ? error.message : error);
      }
    }
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`[bench] ${signal}: stopping everything`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Database and Redis
// ---------------------------------------------------------------------------------------------

/** A fresh migrated database, dropped at cleanup. */
async function createBenchDatabase(): Promise<string> {
  const database = await createScratchDatabase('govrelay_bench', (created) => onCleanup('drop database', () => created.drop()));
  return database.url;
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// Voters
// ---------------------------------------------------------------------------------------------

interface Voters {
  keys: Uint8Array[];
  /** Lowercase 0x addresses. */
  addresses: string[];
}

/** mintMany in batches, a few transactions in flight at once (the node mines each on arrival). */
async function fundVoters(owner: Wallet, token: Contract, addresses: string[]): Promise<{ transactions: number; gasPerHolder: number }> {
  const mintMany = token.getFunction('mintMany');
  const batches = Math.ceil(addresses.length / MINT_BATCH);
  // Gas is measured on the first full batch, so the limit fits whatever the EVM charges per holder.
  const firstBatch = addresses.slice(0, MINT_BATCH);
  const estimate = await mintMany.estimateGas(firstBatch, amountForBatch(0));
  const gasLimit = [(estimate * 11n) / 10n, TX_GAS_CAP].reduce((a, b) => (a < b ? a : b));
  let nonce = await owner.getNonce('pending');
  const inFlight: Promise<void>[] = [];
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const batch = addresses.slice(b * MINT_BATCH, (b + 1) * MINT_BATCH);
    const tx = await mintMany(batch, amountForBatch(b), { nonce: nonce++, gasLimit });
    inFlight.push(
      tx.wait().then((receipt: { status: number | null } | null) => {
        if (!receipt || receipt.status !== 1) throw new Error(`mintMany batch ${b} failed`);
        done++;
        if (done % 20 === 0) log(`  funded ${Math.min(done * MINT_BATCH, addresses.length)} / ${addresses.length} holders`);
      }),
    );
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return { transactions: batches, gasPerHolder: Number(estimate) / firstBatch.length };
}

// ---------------------------------------------------------------------------------------------
// Signed messages
// ---------------------------------------------------------------------------------------------

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function signWithEthers<P extends PrimaryType>(wallet: Wallet, domain: Eip712Domain, primaryType: P, message: MessageByType[P]) {
  const types = { [primaryType]: [...MESSAGE_TYPES[primaryType]] };
  const sig = await wallet.signTypedData(domain, types, message as unknown as Record<string, unknown>);
  return { address: wallet.address, sig, data: { domain, types: typesFor(primaryType), primaryType, message } };
}

/**
 * One vote per voter in `voters` (indexes), signed with digest.ts + libsecp256k1 (low-s, v = 27/28)
 * and serialized once. `round` varies the choice and the timestamp, so a later round re-votes.
 */
function signVotes(voters: Voters, indexes: number[], domain: Eip712Domain, proposalId: string, timestamp: number, round = 0): SignedVotes {
  const digester = createDigester(domain);
  const types = typesFor('Vote');
  const bodies: Buffer[] = new Array(indexes.length);
  const ids: string[] = new Array(indexes.length);
  const voterOf = new Int32Array(indexes.length);
  const sig = new Uint8Array(65);
  indexes.forEach((v, i) => {
    const message: VoteMessage = {
      from: voters.addresses[v]!,
      space: SPACE_ID,
      proposal: proposalId,
      stage: 1,
      timestamp: timestamp + round,
      choice: String(1 + ((v + round) % 3)),
      reason: '',
    };
    const digest = digester.digestBytes('Vote', message);
    const { signature, recid } = secp256k1.ecdsaSign(digest, voters.keys[v]!);
    sig.set(signature, 0);
    sig[64] = 27 + recid;
    ids[i] = bytesToHex(digest);
    voterOf[i] = v;
    bodies[i] = Buffer.from(JSON.stringify({ address: message.from, sig: bytesToHex(sig), data: { domain, types, primaryType: 'Vote', message } }));
  });
  return { bodies, ids, voters: voterOf };
}

function concatVotes(parts: SignedVotes[]): SignedVotes {
  const voters = new Int32Array(parts.reduce((n, p) => n + p.voters.length, 0));
  let offset = 0;
  for (const p of parts) {
    voters.set(p.voters, offset);
    offset += p.voters.length;
  }
  return { bodies: parts.flatMap((p) => p.bodies), ids: parts.flatMap((p) => p.ids), voters };
}

/** A few votes checked with ethers (an independent EIP-712 implementation) before anything is timed. */
function checkVotesWithEthers(votes: SignedVotes, count: number): void {
  const voteTypes: Record<string, TypedDataField[]> = { Vote: MESSAGE_TYPES.Vote.map((f) => ({ ...f })) };
  const step = Math.max(1, Math.floor(votes.bodies.length / count));
  for (let i = 0; i < votes.bodies.length; i += step) {
    const envelope = JSON.parse(votes.bodies[i]!.toString()) as { sig: string; data: { domain: Eip712Domain; message: VoteMessage } };
    const recovered = verifyTypedData(envelope.data.domain, voteTypes, envelope.data.message, envelope.sig);
    if (recovered !== getAddress(envelope.data.message.from)) throw new Error(`vote ${i}: ethers recovers ${recovered}, not ${envelope.data.message.from}`);
    const s = BigInt('0x' + envelope.sig.slice(66, 130));
    if (s > 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n) throw new Error(`vote ${i}: high-s signature`);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

interface HttpResult {
  status: number;
  text: string;
}

function request(agent: http.Agent | false, port: number, method: string, path: string, body?: Buffer): Promise<HttpResult> {
  return new Promise((done, fail) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

async function postJson(port: number, body: unknown): Promise<{ status: number; body: any }> {
  const response = await request(false, port, 'POST', '/api/messages', Buffer.from(JSON.stringify(body)));
  return { status: response.status, body: JSON.parse(response.text) };
}

/**
 * Waits until the server has computed each proposal's likely voters' power (it starts when a
 * proposal is created; server/votes/power-preload.ts), as it would have long before the last hours of a real vote.
 */
async function waitForPowerPreload(port: number, proposalIds: string[]): Promise<PreloadStatus[]> {
  const statuses: PreloadStatus[] = [];
  for (const id of proposalIds) {
    for (;;) {
      const response = await request(false, port, 'GET', `/api/proposals/${id}/power-preload`);
      const status = JSON.parse(response.text) as PreloadStatus;
      if (status.state === 'failed' || status.state === 'off') throw new Error(`power preload of ${id}: ${JSON.stringify(status)}`);
      if (status.state === 'ready') {
        statuses.push(status);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return statuses;
}

interface ServerChild {
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<ServerChild> {
  const port = await freePort();
  const nodeArgs = [...SERVER_NODE_FLAGS, ...SERVER_NODE_ARGS, ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [])];
  if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopped: Promise<void> | undefined;
  const server: ServerChild = {
    port,
    child,
    output: () => output,
    stop() {
      stopped ??= new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM'); // close-with-grace closes the app (and writes a --cpu-prof profile)
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
      return stopped;
    },
  };
  onCleanup('stop server', () => server.stop());

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const health = await request(false, port, 'GET', '/health');
      if (health.status === 200) return server;
      if (Date.now() > deadline) throw new Error(`server unhealthy: ${health.text}`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`server did not answer within 60 s: ${error instanceof Error ? error.message : error}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string | null;
  met: boolean | null;
}

function figure(name: string, value: number, unit: string, target?: { op: '>=' | '<' | '<=' | '=='; value: number }): Figure {
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x);
  if (!target) return { name, value: round(value), unit, target: null, met: null };
  const met =
    target.op === '>=' ? value >= target.value : target.op === '<' ? value < target.value : target.op === '<=' ? value <= target.value : value === target.value;
  return { name, value: round(value), unit, target: `${target.op} ${target.value}`, met };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

interface Integrity {
  signedMessages: number;
  votesRows: number;
  lost: number;
  unacknowledged: number;
  notLatest: number;
  lostOrDuplicated: number;
}

/**
 * Every acknowledged vote is in the signed-message log and nothing else is; each voter's counted vote
 * is the latest one acknowledged for it (votes are sent in round order, so later = newer).
 */
async function checkIntegrity(pool: pg.Pool, proposalId: string, votes: SignedVotes, ack: Acknowledged): Promise<Integrity> {
  const logged = await pool.query<{ id: string }>(`SELECT id FROM signed_messages WHERE proposal_id = $1 AND type = 'Vote'`, [proposalId]);
  const inLog = new Set(logged.rows.map((r) => r.id));
  let lost = 0;
  for (const id of ack.ids.keys()) if (!inLog.has(id)) lost++;
  let unacknowledged = 0;
  for (const id of inLog) if (!ack.ids.has(id)) unacknowledged++;
  const latest = new Map<number, string>();
  votes.ids.forEach((id, i) => {
    if (ack.ids.has(id)) latest.set(votes.voters[i]!, id);
  });
  const counted = await pool.query<{ message_id: string }>('SELECT message_id FROM votes WHERE proposal_id = $1 AND stage = 1', [proposalId]);
  const countedIds = new Set(counted.rows.map((r) => r.message_id));
  let notLatest = 0;
  for (const id of latest.values()) if (!countedIds.has(id)) notLatest++;
  const extraRows = counted.rows.length - latest.size;
  return {
    signedMessages: logged.rows.length,
    votesRows: counted.rows.length,
    lost,
    unacknowledged,
    notLatest,
    lostOrDuplicated: lost + unacknowledged + notLatest + Math.abs(extraRows) + (logged.rows.length - inLog.size),
  };
}

async function main(): Promise<void> {
  const httpRounds = Math.ceil((HTTP_SECONDS * TARGET_HTTP_VOTES_PER_S) / VOTERS);
  const wsVotes = Math.min(VOTERS, WS_SECONDS * WS_INGEST_VOTES_PER_S);
  log(
    `${VOTERS} voters; HTTP ${HTTP_SECONDS} s (${httpRounds} rounds of votes, ${CONCURRENCY} in flight, ${HTTP_SUBSCRIBERS} WebSocket subscribers); ` +
      `batches of ${BATCH_SIZE}; ${WS_SUBSCRIBERS} subscribers at ${WS_INGEST_VOTES_PER_S} votes/s; tally of ${TALLY_VOTES}; ${os.cpus().length} CPUs, node ${process.version}`,
  );
  await phase('compile contracts', () => compileContracts());

  const [chain, databaseUrl] = await phase('start chain + create and migrate database', async () => {
    const chainPromise = startLocalChain().then((c: LocalChain) => {
      onCleanup('stop chain', () => c.stop());
      return c;
    });
    return Promise.all([chainPromise, createBenchDatabase()]);
  });
  const chainPid = findChainPid(new URL(chain.rpcUrl).port);
  log(`  chain ${chain.rpcUrl} (pid ${chainPid ?? '?'}), database ${new URL(databaseUrl).pathname.slice(1)}`);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `bench-${randomBytes(6).toString('hex')}`;
  onCleanup('delete redis keys', async () => log(`deleted ${await deleteRedisKeys(redisUrl, redisPrefix)} Redis keys under ${redisPrefix}`));

  const owner = chain.wallets[0]!;
  const { multicallAddress, token } = await phase('install Multicall3 + deploy BenchToken', async () => {
    const multicall = await installMulticall(chain.provider);
    const deployed = await deployContract(owner, 'BenchToken', ['Govrelay Bench', 'GBENCH']);
    return { multicallAddress: multicall, token: deployed };
  });
  const tokenAddress = (token.target as string).toLowerCase();
  const voters = await phase(`generate ${VOTERS} voter keys`, () => benchVoters(VOTER_SEED, VOTERS));

  const serverEnv: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    MULTICALL_ADDRESS: multicallAddress,
    DEPLOYMENT_SALT,
    RECEIPT_PRIVATE_KEY: RECEIPT_KEY,
    // Configuration, not tuning: every vote comes from 127.0.0.1, and a per-IP limit would be the bench's bottleneck.
    RATE_LIMIT_PER_MINUTE: '1000000000',
  };
  const [funding, server] = await phase(`fund ${VOTERS} holders (mintMany x ${Math.ceil(VOTERS / MINT_BATCH)}) + start server child`, async () => {
    const fundingPromise = (async () => {
      await (await token.getFunction('mintMany')([owner.address], 1000n * TOKEN)).wait(); // the proposal author
      return fundVoters(owner, token, voters.addresses);
    })();
    return Promise.all([fundingPromise, startServer(serverEnv)]);
  });
  log(
    `  ${funding.transactions} mintMany transactions, ~${Math.round(funding.gasPerHolder)} gas per holder; server on 127.0.0.1:${server.port} (pid ${server.child.pid})`,
  );

  const domain = buildDomain(chain.chainId, DEPLOYMENT_SALT);
  const proposals = await phase('create space + 3 proposals (signed, over HTTP)', async () => {
    await mineBlocks(chain.provider, 2);
    // The server's ethers provider caches eth_blockNumber for 250 ms (its /health check just read it):
    // a snapshot at the block mined a moment ago would be refused as SNAPSHOT_NOT_MINED until then.
    await new Promise((r) => setTimeout(r, 1000));
    const settings = {
      name: 'Govrelay bench',
      chainId: chain.chainId,
      token: tokenAddress,
      admins: [owner.address],
      strategies: [{ name: 'token-weighted', params: { address: tokenAddress, method: 'balanceOf' } }],
      proposalGate: { kind: 'power', minPower: '1' },
      temperature: { votingType: 'proposal', period: STAGE_PERIOD_S, quorum: { kind: 'absolute', power: TOKEN.toString() }, passThresholdBps: 5000 },
      consensus: { votingType: 'basic', period: STAGE_PERIOD_S, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
    };
    const space = await postJson(
      server.port,
      await signWithEthers(owner, domain, 'Space', { from: owner.address, space: SPACE_ID, timestamp: nowSeconds(), settings: JSON.stringify(settings) }),
    );
    if (space.status !== 200) throw new Error(`space creation failed: ${space.status} ${JSON.stringify(space.body)}`);
    const latest = await chain.provider.getBlockNumber();
    const create = async (title: string, timestamp: number) => {
      const proposal = await postJson(
        server.port,
        await signWithEthers(owner, domain, 'Proposal', {
          from: owner.address,
          space: SPACE_ID,
          timestamp,
          title,
          body: 'signed votes at volume',
          discussion: '',
          choices: ['For', 'Against', 'Abstain'],
          votingType: 'basic',
          snapshot: latest - 1,
          execution: '',
          payloadHash: ZERO_HASH,
          idea: '',
          kind: 'default',
        }),
      );
      if (proposal.status !== 200) throw new Error(`proposal creation failed: ${proposal.status} ${JSON.stringify(proposal.body)}`);
      return { id: proposal.body.id as string, snapshot: BigInt(latest - 1) };
    };
    const now = nowSeconds();
    return { http: await create('Single-vote HTTP', now), batch: await create('Batches', now + 1), ws: await create('10k subscribers', now + 2) };
  });

  const all = voters.addresses.map((_, i) => i);
  const votes = await phase(`sign ${VOTERS * (httpRounds + 1) + wsVotes} votes (digest.ts + libsecp256k1)`, () => {
    const timestamp = nowSeconds();
    return {
      http: concatVotes(Array.from({ length: httpRounds }, (_, round) => signVotes(voters, all, domain, proposals.http.id, timestamp, round))),
      batch: signVotes(voters, all, domain, proposals.batch.id, timestamp),
      ws: signVotes(voters, all.slice(0, wsVotes), domain, proposals.ws.id, timestamp),
    };
  });
  await phase('check 20 votes with ethers verifyTypedData', () => checkVotesWithEthers(votes.http, 20));
  const preload = await phase('wait for the server to preload voting power (likely holders from Transfer logs)', () =>
    waitForPowerPreload(server.port, [proposals.http.id, proposals.batch.id, proposals.ws.id]),
  );
  for (const status of preload) {
    log(`  ${status.holders} holders (${status.logRequests} eth_getLogs), ${status.computed} computed, ${(status.ms / 1000).toFixed(1)} s`);
  }

  // 1. Single-vote requests, sustained, with subscribers connected and live tallies on.
  const httpSubscribers =
    HTTP_SUBSCRIBERS > 0
      ? await phase(`connect ${HTTP_SUBSCRIBERS} WebSocket subscribers`, () =>
          startSubscribers({ port: server.port, count: HTTP_SUBSCRIBERS, proposal: proposals.http.id }),
        )
      : null;
  onCleanup('stop http subscribers', async () => httpSubscribers?.kill());
  const loadBefore = os.loadavg()[0]!;
  const monitorPool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  onCleanup('close monitor pool', () => monitorPool.end());
  const meter = () => startCpuMeter({ serverPid: server.child.pid, chainPid, pool: monitorPool });
  const serverExited = () => server.child.exitCode !== null || server.child.signalCode !== null;
  const httpMeter = await meter();
  const load = await phase(`HTTP: single votes for ${HTTP_SECONDS} s`, () =>
    runSustained({ port: server.port, votes: votes.http, seconds: HTTP_SECONDS, concurrency: CONCURRENCY, log, shouldStop: serverExited }),
  );
  const httpCpu = await httpMeter.stop(load.ids.size);
  const httpUpdates = httpSubscribers ? await httpSubscribers.finish() : null;
  if (serverExited()) throw new Error(`the server exited during the run:\n${server.output()}`);
  const httpVotesPerSecond = load.ids.size / load.seconds;
  log(`  ${describeCpu(httpCpu)}`);
  if (typeof httpCpu.cores.other === 'number' && httpCpu.cores.other > 0.25)
    log(`  warning: other processes used ${httpCpu.cores.other} cores during the run: the figures are pessimistic`);
  log(
    `  completed ${load.completed}, accepted ${load.ids.size} in ${load.seconds.toFixed(1)} s = ${httpVotesPerSecond.toFixed(0)} votes/s; ` +
      `p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms, max ${load.max.toFixed(0)} ms` +
      (httpUpdates ? `; ${httpUpdates.tallyMessages} tally updates reached the ${HTTP_SUBSCRIBERS} subscribers (${httpUpdates.open} still open)` : ''),
  );
  if (load.ranOutOfVotes) log(`  ran out of pre-signed votes before ${HTTP_SECONDS} s: raise BENCH_VOTERS`);
  for (const [code, count] of load.rejections) log(`  rejected: ${count} x ${code}`);

  // 2. Batches, back to back.
  const batchMeter = await meter();
  const batch = await phase(`batches of ${BATCH_SIZE} votes`, () =>
    runBatches({ port: server.port, votes: votes.batch, batchSize: BATCH_SIZE, concurrency: 4 }),
  );
  const batchCpu = await batchMeter.stop(batch.ids.size);
  const batchVotesPerSecond = batch.ids.size / batch.seconds;
  log(`  ${batch.requests} requests, ${batch.ids.size} votes accepted in ${batch.seconds.toFixed(1)} s = ${batchVotesPerSecond.toFixed(0)} votes/s`);
  log(`  ${describeCpu(batchCpu)}`);
  for (const [code, count] of batch.rejections) log(`  rejected: ${count} x ${code}`);
  if (ONLY === 'intake') {
    const intake = {
      http_votes_per_s: Math.round(httpVotesPerSecond),
      http_p99_ms: Math.round(load.p99 * 10) / 10,
      http_us_per_vote: httpCpu.perVoteMicros,
      batch_votes_per_s: Math.round(batchVotesPerSecond),
      batch_us_per_vote: batchCpu.perVoteMicros,
      other_cores: { http: httpCpu.cores.other, batch: batchCpu.cores.other },
    };
    console.log(`\nintake: ${JSON.stringify(intake)}`);
    return;
  }

  // 3. Many subscribers on one proposal while votes arrive at a steady rate (in batches: the fan-out is measured, not intake).
  const wsSubscribers: Subscribers = await phase(`connect ${WS_SUBSCRIBERS} WebSocket subscribers`, () =>
    startSubscribers({ port: server.port, count: WS_SUBSCRIBERS, proposal: proposals.ws.id }),
  );
  onCleanup('stop ws subscribers', async () => wsSubscribers.kill());
  log(`  ${wsSubscribers.count} subscribed in ${(wsSubscribers.connectMs / 1000).toFixed(1)} s`);
  const fanoutMeter = await meter();
  const fanoutIngest = await phase(`${wsVotes} votes at ${WS_INGEST_VOTES_PER_S}/s to ${WS_SUBSCRIBERS} subscribers`, () =>
    runBatches({ port: server.port, votes: votes.ws, batchSize: WS_INGEST_VOTES_PER_S / 10, concurrency: 8, votesPerSecond: WS_INGEST_VOTES_PER_S }),
  );
  const fanoutCpu = await fanoutMeter.stop(fanoutIngest.ids.size);
  await new Promise((r) => setTimeout(r, 1500)); // the last updates
  const fanoutReport = await wsSubscribers.finish();
  const fanout = fanoutLatency(
    fanoutReport,
    wsSubscribers.count,
    fanoutIngest.acks.map(({ at, votes: n }) => ({ atEpochMs: performance.timeOrigin + at, votes: n })),
    fanoutIngest.ids.size,
  );
  const wsIngestRate = fanoutIngest.ids.size / fanoutIngest.seconds;
  log(
    `  ingested ${fanoutIngest.ids.size} votes at ${wsIngestRate.toFixed(0)}/s; ${fanout.updates} updates, ${fanoutReport.tallyMessages} messages received; ` +
      `ack → update p50 ${fanout.p50} ms, p99 ${fanout.p99} ms, max ${fanout.max} ms over ${fanout.pairs} (vote, subscriber) pairs` +
      (fanout.neverUpdated ? `, ${fanout.neverUpdated} never updated` : ''),
  );
  log(`  ${describeCpu(fanoutCpu)}`);

  // 4. The verify command (verify/) on the batch proposal, against the running server and the chain:
  // every message id, signature and receipt, every voter's power at the snapshot, the recount.
  const verification = await phase(`npm run verify on the batch proposal (${batch.ids.size} votes, chain reads included)`, async () => {
    const loadBefore = os.loadavg()[0]!;
    const run = await runVerifyCommand(
      ['--server', `http://127.0.0.1:${server.port}`, '--rpc', chain.rpcUrl, '--multicall', multicallAddress, '--json', proposals.batch.id],
      VERIFY_CPU_PROF_DIR,
    );
    const loadAfter = os.loadavg()[0]!;
    if (run.exitCode === 2) throw new Error(`verify exited with 2: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { ok: boolean; differences: unknown[]; checked: Record<string, string> };
    return {
      seconds: run.seconds,
      cpuSeconds: run.cpuSeconds,
      loadBefore,
      loadAfter,
      votes: batch.ids.size,
      ok: report.ok,
      differences: report.differences.length,
      firstDifferences: report.differences.slice(0, 5),
      checked: report.checked,
    };
  });
  log(
    `  ${verification.seconds.toFixed(1)} s wall, ${verification.cpuSeconds.toFixed(1)} CPU s (load ${verification.loadBefore.toFixed(2)} → ${verification.loadAfter.toFixed(2)}), ` +
      `${verification.ok ? 'everything matches' : `${verification.differences} differences`}; ${JSON.stringify(verification.checked)}`,
  );

  await phase('stop server', () => server.stop());
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  onCleanup('close bench pool', () => pool.end());
  const integrity = await phase('check stored votes against acknowledgements', async () => ({
    http: await checkIntegrity(pool, proposals.http.id, votes.http, load),
    batch: await checkIntegrity(pool, proposals.batch.id, votes.batch, batch),
    ws: await checkIntegrity(pool, proposals.ws.id, votes.ws, fanoutIngest),
  }));
  for (const [name, check] of Object.entries(integrity)) log(`  ${name}: ${JSON.stringify(check)}`);

  // 4. Voting power of every voter at the snapshot, through the production strategy code.
  const power = await phase(`voting power of ${VOTERS} voters (token-weighted, Multicall3)`, () =>
    benchmarkVotingPower({
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      multicallAddress,
      token: tokenAddress,
      addresses: voters.addresses,
      snapshotBlock: proposals.http.snapshot,
      expected: (_address, index) => amountForVoter(index),
      log,
    }),
  );
  log(`  ${power.rpcCalls} RPC calls, ${power.seconds.toFixed(2)} s, matches the funded amounts: ${power.matchesExpected}`);
  // The same with off-chain delegation: 20,000 of the voters lend to 500 others (docs/api.md#delegation).
  const delegated = await phase(`voting power of ${VOTERS} voters, ${DELEGATORS} delegating to ${DELEGATES}`, () =>
    benchmarkVotingPower({
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      multicallAddress,
      token: tokenAddress,
      addresses: voters.addresses,
      snapshotBlock: proposals.http.snapshot,
      expected: (_address, index) => amountForVoter(index),
      delegation: { delegators: DELEGATORS, delegates: DELEGATES },
      log,
    }),
  );
  log(`  ${delegated.rpcCalls} RPC calls, ${delegated.seconds.toFixed(2)} s, Σ effective = Σ own: ${delegated.conserved}`);

  // 5. The final tally of the HTTP proposal as it is, then of a million votes.
  const tally = await phase(`final tally of the HTTP proposal (${integrity.http.votesRows} votes)`, async () => {
    const proposal = await findProposal(pool, proposals.http.id);
    if (!proposal) throw new Error(`proposal ${proposals.http.id} not found`);
    const started = performance.now();
    const result = await tallyStage(pool, proposal, 1);
    return { seconds: (performance.now() - started) / 1000, result };
  });
  let expectedPower = 0n;
  const counted = new Set<number>(load.ids.values());
  for (const v of counted) expectedPower += amountForVoter(v);
  const tallyOk = tally.result.voterCount === counted.size && tally.result.totalPower === expectedPower;
  log(
    `  ${tally.seconds.toFixed(3)} s; voters ${tally.result.voterCount}, total power ${tally.result.totalPower / TOKEN} tokens (expected ${expectedPower / TOKEN}): ${tallyOk ? 'matches' : 'MISMATCH'}`,
  );
  const million = await phase(`final tally of ${TALLY_VOTES} votes (bench/tally-1m.ts)`, () => benchmarkTally1m({ databaseUrl, votes: TALLY_VOTES, log }));
  log(
    `  runs ${million.runsSeconds.map((x) => x.toFixed(2)).join(' / ')} s, peak ${million.peakMiB} MiB (baseline ${million.baselineMiB} MiB), matches: ${million.matchesExpected}`,
  );

  // Everything else is stopped first, so the micro-benchmark has a quiet core.
  await phase('tear down (server, chain, database, Redis keys)', () => cleanup());
  cleaning = undefined;
  const verify = await phase(`verify micro-benchmark (bench/verify.ts, ${VERIFY_COUNT} votes)`, () => benchmarkVerify({ count: VERIFY_COUNT }));
  log(`  ${JSON.stringify(verify)}`);
  const inclusion = await phase(`inclusion proofs over HTTP at ${INCLUSION_LEAVES} leaves (bench/inclusion-proof.ts)`, () =>
    benchmarkInclusionProofs({ leaves: INCLUSION_LEAVES, log: (m) => log(`  ${m}`) }),
  );
  // Last: it starts its own chain, database, server and Chromium, after everything above has stopped.
  const web = await phase("members' app budgets (bench/web.ts, 10,000 votes, headless Chromium)", () => benchmarkWeb({ log: (m) => log(`  ${m}`) }));

  const figures: Figure[] = [
    figure('verify_votes_per_s_per_core', verify.digestRecoverPerSec, 'votes/s', { op: '>=', value: 8000 }),
    figure('verify_vs_ethers_ratio', verify.speedup, 'x', { op: '>=', value: 15 }),
    figure('verify_vs_native_recover_ratio', verify.nativeRatio, 'x', { op: '>=', value: 0.65 }),
    figure('http_votes_per_s', httpVotesPerSecond, 'votes/s', { op: '>=', value: TARGET_HTTP_VOTES_PER_S }),
    figure('http_p99_ms', load.p99, 'ms', { op: '<', value: 100 }),
    figure('http_lost_or_duplicated', integrity.http.lostOrDuplicated + integrity.batch.lostOrDuplicated + integrity.ws.lostOrDuplicated, 'votes', {
      op: '==',
      value: 0,
    }),
    figure('batch_votes_per_s', batchVotesPerSecond, 'votes/s', { op: '>=', value: 15_000 }),
    figure('tally_1m_votes_s', million.seconds, 's', { op: '<', value: 2 }),
    figure('tally_1m_peak_mib', million.peakMiB, 'MiB', { op: '<', value: 1024 }),
    figure('vp_100k_rpc_calls', power.rpcCalls, 'calls', { op: '<=', value: 200 }),
    figure('vp_100k_s', power.seconds, 's', { op: '<', value: 10 }),
    figure('vp_100k_delegation_rpc_calls', delegated.rpcCalls, 'calls', { op: '<=', value: 250 }),
    figure('vp_100k_delegation_s', delegated.seconds, 's', { op: '<', value: 12 }),
    figure('ws_10k_subscribers_p99_ms', fanout.p99, 'ms', { op: '<', value: 250 }),
    figure('verify_100k_votes_s', verification.seconds, 's', { op: '<', value: 60 }),
    figure('inclusion_proof_ms_p99', inclusion.p99Ms, 'ms'),
    figure('web_initial_js_gzip_kb', web.initialJsGzipKb, 'KB', { op: '<=', value: 200 }),
    figure('web_results_visible_ms', web.resultsVisibleMs, 'ms', { op: '<', value: 1500 }),
    figure('web_vote_to_screen_ms_p99', web.voteToScreenP99Ms, 'ms', { op: '<', value: 1000 }),
  ];
  const results = {
    figures: figures.map(({ name, value, unit, target }) => ({ name, value, unit, target })),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
      node: process.version,
      loadAverageBeforeRun: Math.round(loadBefore * 100) / 100,
    },
    at: new Date().toISOString(),
    details: {
      met: Object.fromEntries(figures.map((f) => [f.name, f.met])),
      voters: VOTERS,
      http: {
        seconds: Math.round(load.seconds * 100) / 100,
        concurrency: CONCURRENCY,
        completed: load.completed,
        accepted: load.ids.size,
        p50Ms: Math.round(load.p50 * 10) / 10,
        maxMs: Math.round(load.max),
        rejections: Object.fromEntries(load.rejections),
        wrongIds: load.wrongIds,
        ranOutOfVotes: load.ranOutOfVotes,
        subscribers: HTTP_SUBSCRIBERS,
        tallyMessagesReceived: httpUpdates?.tallyMessages ?? null,
      },
      batch: {
        batchSize: BATCH_SIZE,
        requests: batch.requests,
        accepted: batch.ids.size,
        seconds: Math.round(batch.seconds * 100) / 100,
        rejections: Object.fromEntries(batch.rejections),
      },
      fanout: {
        subscribers: wsSubscribers.count,
        ingestVotesPerSecond: Math.round(wsIngestRate),
        ...fanout,
        tallyMessages: fanoutReport.tallyMessages,
        errors: fanoutReport.errors,
      },
      cpu: { http: httpCpu, batch: batchCpu, fanout: fanoutCpu },
      integrity,
      votingPower: power,
      powerPreload: preload,
      httpProposalTally: { seconds: Math.round(tally.seconds * 1000) / 1000, voters: tally.result.voterCount, matchesExpectedPower: tallyOk },
      tally1m: million,
      verify,
      verifyProposal: verification,
      inclusionProofs: inclusion,
      web,
      phasesSeconds: phases,
    },
  };
  const resultsPath = join(projectRoot, 'bench', 'results.json');
  writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');

  console.log('\nFigure                            value              target');
  for (const f of figures) {
    const value = `${f.value} ${f.unit}`;
    const target = f.target ? `${f.target} ${f.met ? '(met)' : '(missed)'}` : '';
    console.log(`${f.name.padEnd(34)}${value.padEnd(19)}${target}`);
  }
  console.log(`\nwrote ${resultsPath}; total ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
  if (CPU_PROF_DIR) console.log(`server CPU profile in ${CPU_PROF_DIR}`);
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  if (interrupted) {
    await cleanup();
    process.exit(130);
  }
  // ethers errors embed whole transactions (60 KB of calldata for a mintMany): keep the report short.
  const shortMessage = (error as { shortMessage?: string }).shortMessage;
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error('[bench] failed:', shortMessage ? `${shortMessage}\n` : '', text.length > 3000 ? `${text.slice(0, 3000)} ...` : text);
  await cleanup();
  process.exit(1);
}
