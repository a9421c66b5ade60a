/**
 * The whole batch of a proposal simulated from its executor, with the balance changes it causes
 * (issue 18, item 5). Run at proposal creation, when the consensus check opens (server) and right before
 * the relayer schedules; stored per phase (core/db/payload-simulations.ts) and compared (compare.ts).
 *
 * How: one eth_call at the latest block with a state override that puts BatchSimulator's runtime code
 * (relayer/contracts/BatchSimulator.sol) at the executor's address. The executor keeps its storage and
 * balances, so the calls run in order from the executor as executeBatch runs them (a later call sees
 * an earlier one's effects), and the contract reads balances before and after inside the same call.
 *
 * Balances read before/after, not Transfer logs: reading logs of a call needs debug_traceCall, which
 * most hosted nodes do not serve, while state overrides are served by geth, erigon, anvil and hardhat;
 * a balance read also counts what logs misstate (fee-on-transfer and rebasing tokens) and ether, which
 * has no logs. Its limit: only the tokens asked about are seen, so the probed tokens are every payload
 * target and the space's token (a call that moves a token that is none of those is not counted), and
 * the probed accounts the executor and every recipient the calldata names (ERC-20 transfer/transferFrom
 * recipients, ether receivers).
 *
 * Without state overrides (the node refuses the third eth_call parameter), or when a call targets the
 * executor itself (its own code must run), each call is simulated on its own (calls.ts, the payload
 * preview's simulation), and no balance changes are given.
 */
import { AbiCoder, getAddress, Interface, isError, ZeroAddress, type JsonRpcProvider } from 'ethers';
import { readArtifact } from '../contracts.js';
import type { ExecutionPayload } from '../proposals/repository.js';
import type { AbiBook } from '../spaces/abis.js';
import { decodeRevert, simulatePayload, SimulationUnavailableError } from './calls.js';

export const SIMULATION_PHASES = ['created', 'consensus', 'schedule'] as const;
export type SimulationPhase = (typeof SIMULATION_PHASES)[number];

export interface BalanceChange {
  /** The token, or null for ether. */
  token: string | null;
  account: string;
  before: string;
  after: string;
  /** after − before (negative: an outflow). */
  delta: string;
}

export interface BatchSimulation {
  /** state-override: the whole batch in one call; per-call: each call alone (no balance changes). */
  method: 'state-override' | 'per-call';
  block: string;
  executor: string;
  ok: boolean;
  /** Index of the first failing call, null when all succeeded. */
  failedCall: number | null;
  /** The decoded revert of that call. */
  error: string | null;
  /** Non-zero changes of the probed balances (state-override only; null per call). */
  balanceChanges: BalanceChange[] | null;
}

const simulatorInterface = new Interface([
  'function simulate(bytes batch, address[] tokens, address[] accounts) returns (uint256 failedIndex, bytes revertData, uint256[] before, uint256[] afterwards, bool[] readable)',
]);
const erc20 = new Interface(['function transfer(address to, uint256 amount)', 'function transferFrom(address from, address to, uint256 amount)']);
const NONE = 2n ** 256n - 1n;

let runtimeCode: string | undefined;
function simulatorCode(): string {
  runtimeCode ??= readArtifact('BatchSimulator').deployedBytecode;
  return runtimeCode;
}

/** Recipients the calldata names: ERC-20 transfer/transferFrom `to`, and targets that receive ether. */
export function recipientsOf(payload: ExecutionPayload): string[] {
  const found: string[] = [];
  payload.targets.forEach((target, i) => {
    if (BigInt(payload.values[i] ?? '0') > 0n) found.push(target);
    try {
      const parsed = erc20.parseTransaction({ data: payload.calldatas[i]! });
      if (parsed?.name === 'transfer') found.push(String(parsed.args[0]));
      if (parsed?.name === 'transferFrom') found.push(String(parsed.args[1]));
    } catch {
      // not an ERC-20 move
    }
  });
  return found;
}

function unique(addresses: string[]): string[] {
  return [...new Set(addresses.map((a) => getAddress(a)))];
}

/** A node that does not take state overrides answers the three-parameter eth_call with "invalid params" or similar. */
function overrideRefused(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /invalid (params|argument)|too many arguments|unsupported|not supported|-32602|state ?override/i.test(text);
}

export async function simulateBatch(
  provider: Pick<JsonRpcProvider, 'send' | 'call' | 'estimateGas' | 'getBlockNumber' | 'getBalance'>,
  input: { executor: string; payload: ExecutionPayload; token?: string | undefined; book: AbiBook },
): Promise<BatchSimulation> {
  const executor = getAddress(input.executor);
  const { payload } = input;
  const targetsExecutor = payload.targets.some((t) => getAddress(t) === executor);
  if (!targetsExecutor) {
    const result = await overrideSimulation(provider, executor, input).catch((error: unknown) => {
      if (overrideRefused(error)) return null;
      throw error instanceof SimulationUnavailableError
        ? error
        : new SimulationUnavailableError(`eth_call failed: ${String(error).slice(0, 200)}`, { cause: error });
    });
    if (result) return result;
  }
  const calls = payload.targets.map((target, i) => ({ target, value: payload.values[i]!, data: payload.calldatas[i]! }));
  const perCall = await simulatePayload(provider, executor, calls, input.book);
  const failed = perCall.calls.findIndex((c) => !c.ok);
  return {
    method: 'per-call',
    block: perCall.block,
    executor,
    ok: perCall.ok,
    failedCall: failed >= 0 ? failed : null,
    error: failed >= 0 ? perCall.calls[failed]!.error : null,
    balanceChanges: null,
  };
}

async function overrideSimulation(
  provider: Pick<JsonRpcProvider, 'send'>,
  executor: string,
  input: { payload: ExecutionPayload; token?: string | undefined; book: AbiBook },
): Promise<BatchSimulation> {
  const { payload } = input;
  const tokens = unique([...payload.targets, ...(input.token ? [input.token] : [])]).filter((t) => t !== executor);
  const accounts = unique([executor, ...recipientsOf(payload)]);
  const pairs: { token: string; account: string }[] = [];
  for (const account of accounts) {
    pairs.push({ token: ZeroAddress, account });
    for (const token of tokens) pairs.push({ token, account });
  }
  const batch = AbiCoder.defaultAbiCoder().encode(['address[]', 'uint256[]', 'bytes[]'], [payload.targets, payload.values, payload.calldatas]);
  const data = simulatorInterface.encodeFunctionData('simulate', [batch, pairs.map((p) => p.token), pairs.map((p) => p.account)]);
  const block = (await provider.send('eth_blockNumber', [])) as string;
  let raw: string;
  try {
    raw = (await provider.send('eth_call', [{ from: executor, to: executor, data }, block, { [executor]: { code: simulatorCode() } }])) as string;
  } catch (error) {
    if (isError(error, 'CALL_EXCEPTION')) throw new SimulationUnavailableError('the batch simulator itself reverted', { cause: error });
    throw error;
  }
  const [failedIndex, revertData, before, afterwards, readable] = simulatorInterface.decodeFunctionResult('simulate', raw) as unknown as [
    bigint,
    string,
    bigint[],
    bigint[],
    boolean[],
  ];
  const blockNumber = BigInt(block).toString();
  if (failedIndex !== NONE) {
    const index = Number(failedIndex);
    return {
      method: 'state-override',
      block: blockNumber,
      executor,
      ok: false,
      failedCall: index,
      error: decodeRevert(revertData, input.book, payload.targets[index]) ?? 'reverted without data',
      balanceChanges: null,
    };
  }
  const balanceChanges: BalanceChange[] = [];
  pairs.forEach((pair, i) => {
    if (!readable[i] || before[i] === afterwards[i]) return;
    balanceChanges.push({
      token: pair.token === ZeroAddress ? null : pair.token.toLowerCase(),
      account: pair.account.toLowerCase(),
      before: before[i]!.toString(),
      after: afterwards[i]!.toString(),
      delta: (afterwards[i]! - before[i]!).toString(),
    });
  });
  return { method: 'state-override', block: blockNumber, executor, ok: true, failedCall: null, error: null, balanceChanges };
}

/** The executor's outflow per token ('ETH' for ether) in a simulation: the negative balance changes. */
export function executorOutflows(simulation: BatchSimulation): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const change of simulation.balanceChanges ?? []) {
    if (change.account !== simulation.executor.toLowerCase()) continue;
    const delta = BigInt(change.delta);
    if (delta < 0n) out.set(change.token ?? 'ETH', -delta);
  }
  return out;
}

/**
 * Why `now` is worse than `voted` (the simulation voters saw), or null: the batch reverts now though
 * it did not then, or the executor pays out more of some token (or ether) than it did then. A batch
 * that already reverted at the vote is not worse for reverting still (voters saw that; e.g. a
 * treasury to be funded before execution), and nothing is compared without a simulation of the vote.
 */
export function worseThan(now: BatchSimulation, voted: BatchSimulation | null): string | null {
  if (!voted?.ok) return null;
  if (!now.ok) return `the batch reverts now (call ${now.failedCall}: ${now.error ?? 'no reason'}); it succeeded when voted`;
  if (!voted.balanceChanges || !now.balanceChanges) return null;
  const before = executorOutflows(voted);
  for (const [token, amount] of executorOutflows(now)) {
    const then = before.get(token) ?? 0n;
    if (amount > then) return `the executor's outflow of ${token === 'ETH' ? 'ether' : token} grew from ${then} to ${amount} since the vote`;
  }
  return null;
}
