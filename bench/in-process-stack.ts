/**
 * What the benches that run the app in their own process share (web.ts, verify-proposal.ts,
 * inclusion-proof.ts): a local chain with Multicall3 and a scratch database started together, funded
 * BenchToken holders with deterministic keys, the app listening on 127.0.0.1 with production settings,
 * and a space with one basic proposal signed over HTTP. Every started thing pushes its stop onto the
 * caller's `cleanups`, which the caller runs in reverse order whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import secp256k1 from 'secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Contract, Wallet } from 'ethers';
import { startLocalChain, type LocalChain } from '../scripts/local-chain.js';
import { installMulticall } from '../test/helpers/multicall.js';
import { bytesToHex, createDigester } from '../server/eip712/digest.js';
import { buildDomain, typesFor, type Eip712Domain, type VoteMessage } from '../server/eip712/types.js';
import { loadConfig, type Config } from '../core/config.js';
import { buildApp } from '../server/app.js';
import { nowSeconds, proposalMessage, signEnvelope } from '../test/helpers/messages.js';
import { createScratchDatabase, type ScratchDatabase } from './database.js';
import { batchBody } from './load.js';

export type Cleanups = (() => Promise<unknown>)[];

const TOKEN = 10n ** 18n;
const MINT_BATCH = 600;

/** A hardhat chain with Multicall3 and a migrated scratch database, started side by side. */
export async function startChainAndDatabase(
  databasePrefix: string,
  cleanups: Cleanups,
): Promise<{ chain: LocalChain; databaseUrl: string; multicall: string }> {
  let database: ScratchDatabase | undefined;
  const [chain] = await Promise.all([
    startLocalChain().then((c) => {
      cleanups.push(() => c.stop());
      return c;
    }),
    createScratchDatabase(databasePrefix, (created) => {
      database = created;
      cleanups.push(() => created.drop());
    }),
  ]);
  const multicall = await installMulticall(chain.provider);
  return { chain, databaseUrl: database!.url, multicall };
}

/** `count` voter keys, keccak256(seed ‖ uint32 i) re-hashed in the (never seen) invalid case (the same keys every run), with their addresses. */
export function benchVoters(seed: Uint8Array, count: number): { keys: Uint8Array[]; addresses: string[] } {
  const keys: Uint8Array[] = [];
  const addresses: string[] = [];
  const input = new Uint8Array(36);
  input.set(seed, 0);
  const view = new DataView(input.buffer);
  for (let i = 0; i < count; i++) {
    view.setUint32(32, i);
    let key = keccak_256(input);
    while (!secp256k1.privateKeyVerify(key)) key = keccak_256(key);
    keys.push(key);
    addresses.push(bytesToHex(keccak_256(secp256k1.publicKeyCreate(key, false).subarray(1)).subarray(12)));
  }
  return { keys, addresses };
}

/** Mints 1 to 10 tokens to each address, MINT_BATCH holders per `mintMany`, four transactions in flight. */
export async function fundHolders(owner: Wallet, token: Contract, addresses: string[]): Promise<void> {
  const mintMany = token.getFunction('mintMany');
  let nonce = await owner.getNonce('pending');
  const pending: Promise<unknown>[] = [];
  for (let b = 0; b * MINT_BATCH < addresses.length; b++) {
    const tx = await mintMany(addresses.slice(b * MINT_BATCH, (b + 1) * MINT_BATCH), BigInt(1 + (b % 10)) * TOKEN, { nonce: nonce++, gasLimit: 16_000_000n });
    pending.push(tx.wait());
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);
}

/**
 * Signs votes as a wallet would, without ethers (digest.ts + libsecp256k1: low-s, v = 27/28, as the
 * main benchmark signs): one digester for the domain, each vote an envelope as JSON bytes.
 */
export function voteSigner(domain: Eip712Domain): (key: Uint8Array, message: VoteMessage) => Buffer {
  const digester = createDigester(domain);
  const types = typesFor('Vote');
  return (key, message) => {
    const { signature, recid } = secp256k1.ecdsaSign(digester.digestBytes('Vote', message), key);
    const sig = new Uint8Array(65);
    sig.set(signature, 0);
    sig[64] = 27 + recid;
    return Buffer.from(JSON.stringify({ address: message.from, sig: bytesToHex(sig), data: { domain, types, primaryType: 'Vote', message } }));
  };
}

export interface InProcessApp {
  config: Config;
  base: string;
  domain: Eip712Domain;
  /** POSTs a JSON text; throws with the status and the answer when refused. */
  post(path: string, body: string | Uint8Array): Promise<any>;
  get(path: string): Promise<any>;
}

/**
 * The app in this process on 127.0.0.1 with production settings and a Redis prefix of its own (its
 * keys deleted at cleanup). Every vote comes from one address, so the rate limit is set out of reach
 * (the limiter itself still runs).
 */
export async function startInProcessApp(
  options: { name: string; chain: LocalChain; databaseUrl: string; multicall: string; deploymentSalt: string; receiptKey: string },
  cleanups: Cleanups,
): Promise<InProcessApp> {
  const redisPrefix = `bench-${options.name}-${randomBytes(6).toString('hex')}`;
  const config = loadConfig(
    {},
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: redisPrefix,
      RPC_URL: options.chain.rpcUrl,
      CHAIN_ID: options.chain.chainId,
      MULTICALL_ADDRESS: options.multicall,
      DEPLOYMENT_SALT: options.deploymentSalt,
      RECEIPT_PRIVATE_KEY: options.receiptKey,
      RATE_LIMIT_PER_MINUTE: 1_000_000_000,
    },
  );
  cleanups.push(async () => {
    const redis = new Redis(config.REDIS_URL);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  const app = await buildApp(config);
  cleanups.push(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  const base = `http://127.0.0.1:${address.port}`;
  const answerOf = async (response: Response, what: string) => {
    const answer = (await response.json()) as any;
    if (!response.ok) throw new Error(`${what}: ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
    return answer;
  };
  return {
    config,
    base,
    domain: buildDomain(options.chain.chainId, options.deploymentSalt),
    post: async (path, body) =>
      answerOf(await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body as BodyInit }), `POST ${path}`),
    get: async (path) => answerOf(await fetch(`${base}${path}`), `GET ${path}`),
  };
}

/**
 * A token-weighted (`balanceOf`) space and one basic proposal in it, both signed by `owner` and sent
 * over HTTP; returns the proposal id. The snapshot is the block before the latest.
 */
export async function createSpaceAndProposal(
  target: InProcessApp,
  options: { chain: LocalChain; owner: Wallet; tokenAddress: string; spaceId: string; spaceName: string; title: string; body: string },
): Promise<string> {
  const { chain, owner, tokenAddress, spaceId } = options;
  // The server's provider caches the block number for a moment: a snapshot just mined could be refused.
  await new Promise((r) => setTimeout(r, 1000));
  const settings = {
    name: options.spaceName,
    chainId: chain.chainId,
    token: tokenAddress,
    admins: [owner.address],
    strategies: [{ name: 'token-weighted', params: { address: tokenAddress, method: 'balanceOf' } }],
    proposalGate: { kind: 'power', minPower: '1' },
    temperature: { votingType: 'basic', period: 3600, quorum: { kind: 'absolute', power: TOKEN.toString() }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 3600, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
  };
  const space = await signEnvelope(
    owner,
    'Space',
    { from: owner.address, space: spaceId, timestamp: nowSeconds(), settings: JSON.stringify(settings) },
    { domain: target.domain },
  );
  await target.post('/api/messages', JSON.stringify(space));
  const snapshot = (await chain.provider.getBlockNumber()) - 1;
  const message = proposalMessage(owner, spaceId, snapshot, {
    title: options.title,
    body: options.body,
    choices: ['For', 'Against', 'Abstain'],
    votingType: 'basic',
  });
  const proposal = await signEnvelope(owner, 'Proposal', message, { domain: target.domain });
  return (await target.post('/api/messages', JSON.stringify(proposal))).id as string;
}

/** Posts votes 0 … count − 1 over POST /api/messages/batch, `batchSize` per request; any refused item fails the bench. */
export async function postVoteBatches(target: InProcessApp, count: number, batchSize: number, voteOf: (index: number) => Buffer): Promise<void> {
  for (let start = 0; start < count; start += batchSize) {
    const bodies: Buffer[] = [];
    for (let i = start; i < Math.min(count, start + batchSize); i++) bodies.push(voteOf(i));
    const answer = (await target.post('/api/messages/batch', batchBody(bodies))) as { results: { ok: boolean; code?: string }[] };
    const refused = answer.results.filter((a) => !a.ok);
    if (refused.length) throw new Error(`batch at ${start}: ${refused.length} refused, e.g. ${JSON.stringify(refused[0])}`);
  }
}
