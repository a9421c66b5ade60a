/**
 * A real stack for one test file: a local hardhat chain with a governance token and Multicall3,
 * a fresh PostgreSQL database, a Redis key prefix of its own, and govrelay apps built on them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Contract, Wallet } from 'ethers';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../core/config.js';
import { buildApp } from '../../server/app.js';
import { deployContract, mineBlocks, startLocalChain, type LocalChain } from '../../scripts/local-chain.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { installMulticall } from './multicall.js';
import { TEST_SALT, nowSeconds, signEnvelope, type Envelope } from './messages.js';
import type { MessageByType, PrimaryType } from '../../server/eip712/types.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { deployDao, type DaoDeployOptions, type DaoDeployment } from '../../scripts/deploy.js';
import { createRelayer, type Relayer } from '../../relayer/relayer.js';

export const TOKEN = 10n ** 18n;

/** Config keys to override; `undefined` unsets an optional key (e.g. turns a feature off). */
export type ConfigOverrides = { [K in keyof Config]?: Config[K] | undefined };

export interface TestStack {
  chain: LocalChain;
  db: TestDatabase;
  config: Config;
  token: Contract;
  /** wallets[0] deploys and owns the token; the rest are voters. */
  wallets: Wallet[];
  /** Builds (and tracks for teardown) an app instance on this stack. */
  startApp(overrides?: ConfigOverrides): Promise<FastifyInstance>;
  app: FastifyInstance;
  submit(envelope: unknown, app?: FastifyInstance): Promise<{ status: number; body: any }>;
  sign<P extends PrimaryType>(wallet: Wallet, primaryType: P, message: MessageByType[P], options?: Parameters<typeof signEnvelope>[3]): Promise<Envelope<P>>;
  get(path: string, app?: FastifyInstance): Promise<{ status: number; body: any }>;
  /** With startStack({ dao }): the DAO deployed on the stack's token; relayer = wallets[18], guardian = wallets[19]. */
  dao: (DaoDeployment & { relayerWallet: Wallet; guardianWallet: Wallet }) | null;
  /** Starts a relayer (relayer/relayer.ts) on this stack, closed before the apps at teardown. */
  startRelayer(overrides?: Partial<Config>): Promise<Relayer>;
  close(): Promise<void>;
}

export type StackDaoOptions = Partial<Pick<DaoDeployOptions, 'minDelay' | 'governor' | 'openExecutor' | 'relayerCancels'>>;

export async function startStack(
  options: { config?: Partial<Config>; holders?: Record<number, bigint>; delegate?: boolean; dao?: StackDaoOptions } = {},
): Promise<TestStack> {
  const [chainResult, dbResult] = await Promise.allSettled([startLocalChain(), createTestDatabase()]);
  if (chainResult.status === 'rejected' || dbResult.status === 'rejected') {
    // Stop whatever did start: a leaked chain process would keep the test file alive.
    if (chainResult.status === 'fulfilled') await chainResult.value.stop();
    if (dbResult.status === 'fulfilled') await dbResult.value.drop();
    throw chainResult.status === 'rejected' ? chainResult.reason : (dbResult as PromiseRejectedResult).reason;
  }
  const chain = chainResult.value;
  const db = dbResult.value;
  const wallets = chain.wallets;
  const multicallAddress = await installMulticall(chain.provider);
  const token = await deployContract(wallets[0]!, 'GovToken', ['Blocktrack', 'BTK', wallets[0]!.address]);
  const holders = options.holders ?? { 1: 100n * TOKEN, 2: 50n * TOKEN, 3: 25n * TOKEN, 4: 9n * TOKEN };
  for (const [index, amount] of Object.entries(holders)) {
    await (await token.getFunction('mint')(wallets[Number(index)]!.address, amount)).wait();
    if (options.delegate !== false) {
      const holder = token.connect(wallets[Number(index)]!) as Contract;
      await (await holder.getFunction('delegate')(wallets[Number(index)]!.address)).wait();
    }
  }
  let dao: TestStack['dao'] = null;
  if (options.dao) {
    const [relayerWallet, guardianWallet] = [wallets[18]!, wallets[19]!];
    const deployment = await deployDao({
      deployer: wallets[0]!,
      relayer: relayerWallet.address,
      guardian: guardianWallet.address,
      token: String(token.target),
      ...options.dao,
    });
    dao = { ...deployment, relayerWallet, guardianWallet };
  }
  await mineBlocks(chain.provider, 2);

  const config = loadConfig(
    {},
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: 10,
      RPC_URL: chain.rpcUrl,
      CHAIN_ID: chain.chainId,
      MULTICALL_ADDRESS: multicallAddress,
      DEPLOYMENT_SALT: TEST_SALT,
      REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
      RATE_LIMIT_PER_MINUTE: 1_000_000,
      LIFECYCLE_SWEEP_INTERVAL_MS: 1000,
      TALLY_PUBLISH_INTERVAL_MS: 100,
      ...(dao
        ? {
            RELAYER_PRIVATE_KEY: dao.relayerWallet.privateKey,
            RELAYER_CONFIRMATIONS: 1,
            RELAYER_POLL_INTERVAL_MS: 200,
            RELAYER_RECONCILE_INTERVAL_MS: 500,
            RELAYER_BACKOFF_MS: 200,
          }
        : {}),
      ...options.config,
    },
  );

  const apps: FastifyInstance[] = [];
  const startApp = async (overrides: ConfigOverrides = {}) => {
    const app = await buildApp({ ...config, ...overrides } as Config);
    await app.ready();
    apps.push(app);
    return app;
  };
  const app = await startApp();
  const relayers: Relayer[] = [];

  const stack: TestStack = {
    chain,
    db,
    config,
    token,
    wallets,
    app,
    startApp,
    dao,
    async startRelayer(overrides = {}) {
      const relayer = await createRelayer({ ...config, ...overrides });
      relayers.push(relayer);
      return relayer;
    },
    async submit(envelope, target = app) {
      const response = await target.inject({ method: 'POST', url: '/api/messages', payload: envelope as object });
      return { status: response.statusCode, body: response.json() };
    },
    sign: (wallet, primaryType, message, signOptions) => signEnvelope(wallet, primaryType, message, signOptions),
    async get(path, target = app) {
      const response = await target.inject({ method: 'GET', url: path });
      return { status: response.statusCode, body: response.json() };
    },
    async close() {
      for (const r of relayers.reverse()) await r.close().catch(() => undefined);
      for (const a of apps.reverse()) await a.close().catch(() => undefined);
      const redis = new Redis(config.REDIS_URL);
      const keys = await redis.keys(`${config.REDIS_PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await chain.stop();
      await db.drop();
    },
  };
  return stack;
}

/** Minimal valid space settings for tests; override what a test is about. */
export function spaceSettings(stack: Pick<TestStack, 'wallets' | 'token' | 'chain'>, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Blocktrack DAO',
    chainId: stack.chain.chainId,
    token: stack.token.target as string,
    admins: [stack.wallets[0]!.address],
    moderators: [stack.wallets[5]!.address],
    strategies: [{ name: 'token-weighted', params: { address: stack.token.target as string } }],
    proposalGate: { kind: 'power', minPower: '1' },
    temperature: { votingType: 'proposal', period: 10, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 10, quorum: { kind: 'supply-fraction', bps: 1000 }, passThresholdBps: 6000 },
    ...overrides,
  };
}

export async function createSpace(stack: TestStack, id = 'blocktrack', overrides: Record<string, unknown> = {}) {
  const envelope = await stack.sign(stack.wallets[0]!, 'Space', {
    from: stack.wallets[0]!.address,
    space: id,
    timestamp: nowSeconds(),
    settings: JSON.stringify(spaceSettings(stack, overrides)),
  });
  return stack.submit(envelope);
}

export async function latestBlock(stack: Pick<TestStack, 'chain'>): Promise<number> {
  return stack.chain.provider.getBlockNumber();
}

/** Polls until `check` returns a truthy value (for lifecycle timers); fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Alice (wallet 1) proposes a basic signal proposal in space blocktrack at the block before the latest (one block mined first). Resolves to its id. */
/** A signal proposal (basic, For/Against/Abstain, snapshot = the block before the latest) by `author` (alice) in `space` (blocktrack); its id. */
export async function createProposal(
  stack: TestStack,
  title: string,
  options: { space?: string; author?: Wallet; app?: FastifyInstance } = {},
): Promise<string> {
  const author = options.author ?? stack.wallets[1]!;
  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await latestBlock(stack)) - 1;
  const created = await stack.submit(
    await stack.sign(author, 'Proposal', {
      from: author.address,
      space: options.space ?? 'blocktrack',
      timestamp: nowSeconds(),
      title,
      body: 'b',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
    options.app,
  );
  if (created.status !== 200) throw new Error(`proposal: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}
