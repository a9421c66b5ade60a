/**
 * The execution-relay flow for the fault tests: a DAO stack whose treasury (the timelock) holds tokens,
 * grant proposals voted through both off-chain stages by signed votes, and the check every fault case
 * ends with — the operation was scheduled once and executed once on chain, with the id anyone can
 * recompute, the grant was paid once, the relayer sent exactly one scheduleBatch and one executeBatch
 * for it, and the `executions` row says what the chain says.
 */
import type { Test } from 'tap';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { Interface, Wallet, type Contract, type TransactionResponse } from 'ethers';
import { createSpace, latestBlock, TOKEN, waitFor, type TestStack } from './stack.js';
import { nowSeconds } from './messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { executionPlan, operationIdFor, type ExecutionPlan } from '../../core/executions/operation.js';
import { TIMELOCK_TOPICS, timelockInterface } from '../../core/executions/chain.js';
import { findExecution, type ExecutionRow } from '../../core/executions/repository.js';
import { nonceKey } from '../../relayer/nonce-manager.js';
import type { PendingTx } from '../../core/executions/pending-tx.js';
import type { LogLine } from './relayer-child.js';

export const TREASURY = 1000n * TOKEN;
export const GRANT = 5n * TOKEN;
const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)', 'function balanceOf(address) view returns (uint256)']);

/** Short stages: the flow to 'queued' takes about 6 s. */
const stages = {
  temperature: { votingType: 'proposal', period: 3, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
  consensus: { votingType: 'basic', period: 3, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
};

/** Funds the treasury and creates the space (executor = the DAO's timelock). Once per stack. */
export async function setupTreasury(stack: TestStack, space: Record<string, unknown> = {}): Promise<void> {
  const dao = stack.dao!;
  await (await stack.token.getFunction('mint')(dao.addresses.timelock, TREASURY)).wait();
  const created = await createSpace(stack, 'blocktrack', { executor: dao.addresses.timelock, governor: dao.addresses.governor, ...stages, ...space });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  await mineBlocks(stack.chain.provider, 1);
}

export interface Grant {
  id: string;
  title: string;
  grantee: string;
  proposal: any;
  plan: ExecutionPlan;
}

/** Signs and submits one vote in space blocktrack; throws if it is refused. */
export async function castVote(stack: TestStack, id: string, wallet: Wallet, stage: number, choice: string): Promise<void> {
  const r = await stack.submit(
    await stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal: id, stage, timestamp: nowSeconds(), choice, reason: '' }),
  );
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
}

/** Alice (wallet 1) proposes a grant: one transfer of GRANT in `token` (by default the stack's) to `grantee`. Resolves to its id. */
export async function proposeGrant(
  stack: TestStack,
  grant: { title: string; grantee: string; body?: string | undefined; execution?: 'timelock' | 'governor' | undefined; token?: Contract | undefined },
): Promise<string> {
  const alice = stack.wallets[1]!;
  const payload = {
    targets: [String((grant.token ?? stack.token).target)],
    values: ['0'],
    calldatas: [erc20.encodeFunctionData('transfer', [grant.grantee, GRANT])],
  };
  const created = await stack.submit(
    await stack.sign(
      alice,
      'Proposal',
      {
        from: alice.address,
        space: 'blocktrack',
        timestamp: nowSeconds(),
        title: grant.title,
        body: grant.body ?? 'A grant from the treasury.',
        discussion: '',
        choices: ['For', 'Against', 'Abstain'],
        votingType: 'basic',
        snapshot: (await latestBlock(stack)) - 1,
        execution: grant.execution ?? 'timelock',
        payloadHash: hashPayload(payload),
        idea: '',
        kind: 'default',
      },
      { payload },
    ),
  );
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return created.body.id as string;
}

export interface PassGrantOptions {
  /** Runs once every vote of the consensus check is in, before the check closes (e.g. to stop the chain mining). */
  beforeClose?: () => Promise<void>;
  /** Runs for each proposal as soon as it is seen 'queued', before anything else is read. */
  onQueued?: (id: string) => Promise<void>;
  /** Paid in this token (default the stack's). */
  token?: Contract;
  /** Paid to this address (default a fresh one per grant). */
  grantee?: string;
  body?: string;
  execution?: 'timelock' | 'governor';
}

/**
 * Creates one grant proposal per title (timelock path unless `execution` says governor) in space
 * blocktrack (set up beforehand, e.g. setupTreasury) and votes them through both stages together,
 * so they pass at about the same moment: alice and carol For, bob Against. Resolves when every
 * proposal is 'queued' for execution.
 */
export async function passGrants(stack: TestStack, titles: string[], options: PassGrantOptions = {}): Promise<Grant[]> {
  const [, alice, bob, carol] = stack.wallets as Wallet[];
  const grants: Grant[] = [];
  for (const title of titles) {
    const grantee = options.grantee ?? Wallet.createRandom().address;
    const id = await proposeGrant(stack, { title, grantee, token: options.token, body: options.body, execution: options.execution });
    grants.push({ id, title, grantee, proposal: null, plan: null as unknown as ExecutionPlan });
  }
  for (const { id } of grants) {
    await castVote(stack, id, alice!, 1, '1');
    await castVote(stack, id, bob!, 1, '2');
    await castVote(stack, id, carol!, 1, '1');
  }
  for (const { id } of grants) await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.state === 'consensus', 20_000, 50);
  for (const { id } of grants) {
    await castVote(stack, id, alice!, 2, '1');
    await castVote(stack, id, bob!, 2, '2');
    await castVote(stack, id, carol!, 2, '1');
  }
  await options.beforeClose?.();
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  for (const grant of grants) {
    await waitFor(async () => (await stack.get(`/api/proposals/${grant.id}`)).body.state === 'queued', 20_000, 20);
    await options.onQueued?.(grant.id);
    grant.proposal = (await stack.get(`/api/proposals/${grant.id}`)).body;
    grant.plan = executionPlan({
      id: grant.id,
      title: grant.title,
      executionMode: options.execution ?? 'timelock',
      payload: grant.proposal.payload,
      rules: { settings: space.settings },
    });
  }
  return grants;
}

export async function passGrant(stack: TestStack, title: string, options: PassGrantOptions = {}): Promise<Grant> {
  return (await passGrants(stack, [title], options))[0]!;
}

export async function balanceOf(stack: TestStack, address: string): Promise<bigint> {
  return (await stack.token.getFunction('balanceOf')(address)) as bigint;
}

export function executionRow(pool: pg.Pool, id: string): Promise<ExecutionRow | null> {
  return findExecution(pool, id);
}

/** Polls the executions row until it has the status (fails after timeoutMs). */
export function waitForStatus(pool: pg.Pool, id: string, status: string, timeoutMs = 30_000): Promise<ExecutionRow> {
  return waitFor(
    async () => {
      const row = await findExecution(pool, id);
      return row?.status === status ? row : null;
    },
    timeoutMs,
    20,
  );
}

export async function operationLogs(stack: TestStack, topic: string, operationId: string) {
  return stack.chain.provider.getLogs({ address: stack.dao!.addresses.timelock, topics: [topic, operationId], fromBlock: 0, toBlock: 'latest' });
}

/** Every transaction the relayer key got mined from `fromBlock` on, decoded where it calls the timelock. */
export async function relayerTransactions(
  stack: TestStack,
  fromBlock: number,
): Promise<{ tx: TransactionResponse; fn: string | null; salt: string | null; status: number | null }[]> {
  const provider = stack.chain.provider;
  const relayer = stack.dao!.relayerWallet.address;
  const head = await provider.getBlockNumber();
  const found = [];
  for (let n = fromBlock; n <= head; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from !== relayer) continue;
      const parsed = tx.to === stack.dao!.addresses.timelock ? timelockInterface.parseTransaction({ data: tx.data }) : null;
      const receipt = await provider.getTransactionReceipt(tx.hash);
      const salt = parsed?.name === 'scheduleBatch' || parsed?.name === 'executeBatch' ? String(parsed.args[4]) : null;
      found.push({ tx, fn: parsed?.name ?? null, salt, status: receipt?.status ?? null });
    }
  }
  return found;
}

/**
 * The end state every fault case must reach for `grant`: CallScheduled once and CallExecuted once for
 * the operation id recomputed from the signed proposal, the operation Done, the grantee paid exactly
 * once, exactly one scheduleBatch and one executeBatch sent for it since `fromBlock` (no duplicate, not
 * even a reverted one), and the executions row equal to the chain (status, operation id, schedule tx,
 * ETA, execute tx and block).
 */
export async function assertExecutedOnce(
  t: Test,
  stack: TestStack,
  pool: pg.Pool,
  grant: Grant,
  fromBlock: number,
): Promise<{ row: ExecutionRow; scheduleTx: string; executeTx: string }> {
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const operationId = operationIdFor({
    id: grant.id,
    title: grant.proposal.title,
    executionMode: grant.proposal.execution,
    payload: grant.proposal.payload,
    rules: { settings: space.settings },
  });
  t.equal(
    operationId,
    await dao.timelock.getFunction('hashOperationBatch')(
      grant.proposal.payload.targets,
      grant.proposal.payload.values,
      grant.proposal.payload.calldatas,
      `0x${'0'.repeat(64)}`,
      grant.id,
    ),
    'operationIdFor(proposal) = hashOperationBatch(payload, 0x0, proposal id)',
  );
  const scheduledLogs = await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, operationId);
  const executedLogs = await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, operationId);
  t.equal(scheduledLogs.length, 1, 'CallScheduled once');
  t.equal(executedLogs.length, 1, 'CallExecuted once');
  t.equal(await dao.timelock.getFunction('getOperationState')(operationId), 3n, 'operation Done');
  t.equal(await balanceOf(stack, grant.grantee), GRANT, 'the grantee was paid exactly once');

  const sent = (await relayerTransactions(stack, fromBlock)).filter((s) => s.salt === grant.id.toLowerCase());
  t.same(
    sent.map((s) => [s.fn, s.status]),
    [
      ['scheduleBatch', 1],
      ['executeBatch', 1],
    ],
    'the relayer sent one scheduleBatch and one executeBatch for it, nothing more',
  );

  const row = (await findExecution(pool, grant.id))!;
  const scheduleTx = scheduledLogs[0]?.transactionHash ?? '';
  const executeTx = executedLogs[0]?.transactionHash ?? '';
  const scheduleBlock = scheduledLogs[0] ? (await provider.getBlock(scheduledLogs[0].blockNumber))! : null;
  t.match(
    row,
    {
      status: 'executed',
      operationId,
      scheduleTx,
      executeTx,
      executeBlock: String(executedLogs[0]?.blockNumber),
      reason: null,
    },
    'the executions row = the chain (status, operation id, schedule tx, execute tx and block)',
  );
  t.equal(
    row.eta?.getTime(),
    scheduleBlock ? (scheduleBlock.timestamp + Number(await dao.timelock.getFunction('getMinDelay')())) * 1000 : null,
    'recorded ETA = schedule block time + delay',
  );
  return { row, scheduleTx, executeTx };
}

/** What Redis and the node hold about the relayer: in-flight records, the nonce counter, the node's pending block. */
export function relayProbe(stack: TestStack, redis: Redis) {
  const prefix = stack.config.REDIS_PREFIX;
  return {
    nonceKey: nonceKey(prefix, stack.chain.chainId, stack.dao!.relayerWallet.address),
    async txRecord(id: string, step: string): Promise<PendingTx | null> {
      const raw = await redis.get(`${prefix}:relayer:tx:${id}:${step}`);
      return raw ? (JSON.parse(raw) as PendingTx) : null;
    },
    /** The proposal's in-flight transaction records still in Redis (none once its steps are done). */
    inFlight: (id: string) => redis.keys(`${prefix}:relayer:tx:${id}:*`),
    nonceCounter(): Promise<string | null> {
      return redis.get(this.nonceKey);
    },
    /** Waits until the node holds the transaction in its pending block (broadcast, not mined). */
    inPool: (hash: string) =>
      waitFor(
        async () => ((await stack.chain.provider.send('eth_getBlockByNumber', ['pending', false])) as { transactions: string[] }).transactions.includes(hash),
        10_000,
        20,
      ),
  };
}

/** Log lines no fault case may leave: errors, a nonce taken from us, a permanent failure, giving up. */
export const unhandledLine = (l: LogLine) => l.level >= 50 || /superseded|not ours|failed permanently|gave up/.test(l.msg);
