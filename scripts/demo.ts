/**
 * `npm run demo`: the whole off-chain story on a local chain, told step by step.
 * It starts its own chain (hardhat node on 127.0.0.1), uses PostgreSQL from DATABASE_URL (a fresh
 * database `govrelay_demo_*` beside it) and Redis from REDIS_URL (or a local redis-server it starts),
 * runs the govrelay server, and then: deploys the token, delegates, creates a space, proposes a
 * treasury grant, votes through the temperature and consensus checks, and shows the proposal
 * queued for execution. It exits 0 and leaves nothing running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Contract, Interface, Wallet } from 'ethers';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig } from '../server/config.js';
import { buildApp } from '../server/app.js';
import { MESSAGE_TYPES, buildDomain, type MessageByType, type PrimaryType } from '../server/eip712/types.js';
import { hashPayload } from '../server/proposals/payload.js';
import { compileContracts, loadArtifact } from './compile-contracts.js';
import { applyMigrations } from './db.js';
import { deployContract, freePort, mineBlocks, startLocalChain, type LocalChain } from './local-chain.js';

const TOKEN = 10n ** 18n;
const env = process.env;
const cleanups: (() => Promise<unknown>)[] = [];
const step = (n: number, text: string, url?: string) => console.log(`\n[${n}] ${text}${url ? `\n    → ${url}` : ''}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

async function ensureRedis(): Promise<string> {
  if (env.REDIS_URL) return env.REDIS_URL;
  const local = 'redis://127.0.0.1:6379';
  if (await redisReachable(local)) return local;
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('No Redis: set REDIS_URL, or install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).');
  }
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  cleanups.push(async () => child.kill('SIGTERM'));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisReachable(url)); i++) await sleep(100);
  return url;
}

async function createDemoDatabase(): Promise<string> {
  const adminUrl = env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
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

async function main(): Promise<void> {
  console.log('govrelay demo: an idea becomes a signed proposal, is voted through two stages, and is queued for on-chain execution.');
  compileContracts();
  const [chain, databaseUrl, redisUrl] = await Promise.all([startLocalChain(), createDemoDatabase(), ensureRedis()]);
  cleanups.push(() => chain.stop());
  await applyMigrations(databaseUrl);

  const [deployer, alice, bob, carol, dave, grantee] = chain.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet, Wallet];
  const multicall = loadArtifact('Multicall3');
  const multicallAddress = '0xcA11bde05977b3631167028862bE2a173976CA11';
  await chain.provider.send('hardhat_setCode', [multicallAddress, multicall.deployedBytecode]);
  const token = await deployContract(deployer, 'GovToken', ['Blocktrack', 'BTK', deployer.address]);
  step(1, `Deployed the BTK governance token (ERC20Votes) at ${token.target} on a local chain (${chain.rpcUrl})`);

  for (const [wallet, amount] of [[alice, 100n], [bob, 50n], [carol, 25n], [dave, 9n]] as const) {
    await (await token.getFunction('mint')(wallet.address, amount * TOKEN)).wait();
  }
  for (const wallet of [alice, bob, carol]) await (await (token.connect(wallet) as Contract).getFunction('delegate')(wallet.address)).wait();
  await (await (token.connect(dave) as Contract).getFunction('delegate')(carol.address)).wait();
  await (await token.getFunction('mint')(deployer.address, 1000n * TOKEN)).wait();
  await mineBlocks(chain.provider, 2);
  step(2, 'Minted BTK to alice (100), bob (50), carol (25) and dave (9); dave delegated his votes to carol on chain');

  const port = await freePort();
  const salt = `0x${randomBytes(32).toString('hex')}`;
  const config = loadConfig(
    {},
    {
      LOG_LEVEL: 'warn', PORT: port, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: `demo-${randomBytes(4).toString('hex')}`,
      RPC_URL: chain.rpcUrl, CHAIN_ID: chain.chainId, MULTICALL_ADDRESS: multicallAddress, DEPLOYMENT_SALT: salt,
      RECEIPT_PRIVATE_KEY: Wallet.createRandom().privateKey,
      LIFECYCLE_SWEEP_INTERVAL_MS: 1000, TALLY_PUBLISH_INTERVAL_MS: 100,
    },
  );
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port });
  cleanups.push(async () => {
    await app.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${config.REDIS_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  const api = `http://127.0.0.1:${port}`;
  step(3, 'The govrelay server is running; its OpenAPI docs:', `${api}/docs`);

  const domain = buildDomain(chain.chainId, salt);
  const post = async <P extends PrimaryType>(wallet: Wallet, primaryType: P, message: MessageByType[P], extra: Record<string, unknown> = {}) => {
    const sig = await wallet.signTypedData(domain, { [primaryType]: [...MESSAGE_TYPES[primaryType]] }, message as unknown as Record<string, unknown>);
    const response = await fetch(`${api}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: wallet.address, sig, data: { domain, types: { [primaryType]: MESSAGE_TYPES[primaryType] }, primaryType, message }, ...extra }),
    });
    const body = (await response.json()) as { id: string; code?: string; message?: string };
    if (!response.ok) throw new Error(`${primaryType} refused: ${body.code} ${body.message}`);
    return body;
  };
  const get = async (path: string) => (await fetch(`${api}${path}`)).json() as Promise<any>;
  const now = () => Math.floor(Date.now() / 1000);

  const settings = {
    name: 'Blocktrack DAO', chainId: chain.chainId, token: token.target, executor: deployer.address,
    admins: [deployer.address], strategies: [{ name: 'token-weighted', params: { address: token.target } }],
    proposalGate: { kind: 'power', minPower: (10n * TOKEN).toString() },
    temperature: { votingType: 'basic', period: 6, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 6, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
  };
  await post(deployer, 'Space', { from: deployer.address, space: 'blocktrack', timestamp: now(), settings: JSON.stringify(settings) });
  step(4, 'The DAO admin signed the space settings (token-weighted votes, 6 s stages for the demo)', `${api}/api/spaces/blocktrack`);

  const grant = new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [grantee.address, 20n * TOKEN]);
  const payload = { targets: [String(token.target)], values: ['0'], calldatas: [grant] };
  const snapshot = (await chain.provider.getBlockNumber()) - 1;
  const proposal = await post(
    alice,
    'Proposal',
    {
      from: alice.address, space: 'blocktrack', timestamp: now(), title: 'Grant 20 BTK to the Education sub-DAO',
      body: 'Fund course material for the learn-to-earn track.', discussion: 'https://discord.com/channels/demo/ideas/1',
      choices: ['For', 'Against', 'Abstain'], votingType: 'basic', snapshot, execution: 'timelock', payloadHash: hashPayload(payload), idea: '',
    },
    { payload },
  );
  step(5, `alice signed a treasury-grant proposal; the payload hash is part of what she signed (snapshot block ${snapshot})`, `${api}/api/proposals/${proposal.id}`);

  const vote = (wallet: Wallet, stage: number, choice: number) =>
    post(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal: proposal.id, stage, timestamp: now(), choice: String(choice), reason: '' });
  await Promise.all([vote(alice, 1, 1), vote(bob, 1, 2), vote(carol, 1, 1)]);
  const temperatureTally = (await get(`/api/proposals/${proposal.id}/tally?stage=1`)).tally;
  step(6, `Temperature check: alice For, bob Against, carol For (with dave's delegated votes). Live tally For/Against/Abstain = ${temperatureTally.scores.map((s: string) => BigInt(s) / TOKEN).join(' / ')} BTK`, `${api}/api/proposals/${proposal.id}/tally?stage=1`);

  for (;;) {
    const state = (await get(`/api/proposals/${proposal.id}`)).state;
    if (state === 'consensus') break;
    if (state !== 'temperature') throw new Error(`unexpected state ${state}`);
    await sleep(250);
  }
  step(7, 'The temperature check closed on time and passed; the consensus check opened by itself', `${api}/api/proposals/${proposal.id}/history`);

  await Promise.all([vote(alice, 2, 1), vote(bob, 2, 1), vote(carol, 2, 3)]);
  step(8, 'Consensus check: alice and bob For, carol Abstain');
  let final;
  for (;;) {
    final = await get(`/api/proposals/${proposal.id}`);
    if (!['consensus', 'temperature'].includes(final.state)) break;
    await sleep(250);
  }
  const result = final.results[1];
  step(9, `The consensus check closed: ${result.outcome}, quorum ${result.quorumReached ? 'reached' : 'missed'}, For ${BigInt(result.scores[0]) / TOKEN} BTK. State: ${final.state}`, `${api}/api/proposals/${proposal.id}`);
  if (final.state !== 'queued') throw new Error(`expected the proposal to be queued, it is ${final.state}`);
  const messages = await get(`/api/proposals/${proposal.id}/messages?limit=1000`);
  step(10, `Every signed message (${messages.items.length}) is published for anyone to recompute the result`, `${api}/api/proposals/${proposal.id}/messages`);
  console.log(`\nqueued for execution: proposal ${proposal.id} (execution status: ${final.executionStatus.status}). The relayer takes it from here.`);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
process.exit(exitCode);
