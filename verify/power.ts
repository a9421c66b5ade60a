/**
 * Voting power at the snapshot recomputed from the chain, following each strategy's documented
 * formula (strategies/<name>/README.md), with the verifier's own reads: Multicall3 aggregate3 in
 * batches of 1,000 calls, never one call per voter.
 *
 * - token-weighted `getPastVotes`: token.getPastVotes(voter, snapshot) at `latest` (the token's
 *   CLOCK_MODE decides whether the snapshot is a block number or the block's timestamp);
 *   `balanceOf`: token.balanceOf(voter) at block tag = snapshot (needs an archive node for old blocks).
 * - quadratic: isqrt(base power).
 * - reputation-weighted: stake + reputation × pointValue, reputation from the registry's
 *   reputationAt(voter, snapshot). A `ledger` source lives in the server's database, not on the
 *   chain: that part cannot be recomputed here and is reported as such.
 */
import { Interface, type JsonRpcProvider } from 'ethers';
import { decodeAggregate3, decodeUint256, encodeAddressCall, encodeAggregate3 } from './abi-words.js';
import { isqrt } from './isqrt.js';

export const CANONICAL_MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11';

interface StrategyRef {
  name: string;
  params: Record<string, unknown>;
  weight?: number;
}

const multicall = new Interface([
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)',
]);
const token = new Interface([
  'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function CLOCK_MODE() view returns (string)',
]);
const registry = new Interface(['function reputationAt(address account, uint256 blockNumber) view returns (uint256)']);
const AGGREGATE3 = multicall.getFunction('aggregate3')!.selector;
const BALANCE_OF = token.getFunction('balanceOf')!.selector;
const GET_PAST_VOTES = token.getFunction('getPastVotes')!.selector;
const REPUTATION_AT = registry.getFunction('reputationAt')!.selector;

export interface PowerContext {
  provider: JsonRpcProvider;
  /**
   * The provider's JSON-RPC URL: the Multicall3 calls (about 200 KB of calldata each) go to it with
   * fetch, without ethers' request copy and byte-by-byte hex and UTF-8 conversions (several seconds
   * for 100,000 voters). Without it, through the provider.
   */
  rpcUrl?: string | undefined;
  multicallAddress: string;
  snapshot: number;
}

/** Per voter and strategy: the power (weight applied), or null where the chain alone cannot say. */
export interface RecomputedPower {
  byStrategy: (bigint | null)[];
  /** Why a part is null, per strategy (undefined when computed). */
  unavailable: (string | undefined)[];
}

type Call = { target: string; data: string; blockTag: number | 'latest' };

/** Runs calls through Multicall3 (1,000 per eth_call, grouped by block tag); a failed call throws naming its target. */
async function runCalls(ctx: PowerContext, calls: Call[]): Promise<string[]> {
  const results = new Array<string>(calls.length);
  const byTag = new Map<string, number[]>();
  calls.forEach((call, i) => {
    const key = String(call.blockTag);
    const group = byTag.get(key);
    if (group) group.push(i);
    else byTag.set(key, [i]);
  });
  for (const [tag, indexes] of byTag) {
    const blockTag = tag === 'latest' ? 'latest' : Number(tag);
    const chunks: number[][] = [];
    for (let i = 0; i < indexes.length; i += 1000) chunks.push(indexes.slice(i, i + 1000));
    await Promise.all(
      chunks.map(async (chunk) => {
        const data = encodeAggregate3(
          AGGREGATE3,
          chunk.map((i) => ({ target: calls[i]!.target, callData: calls[i]!.data })),
        );
        const answer = ctx.rpcUrl
          ? await ethCall(ctx.rpcUrl, ctx.multicallAddress, data, blockTag)
          : await ctx.provider.call({ to: ctx.multicallAddress, data, blockTag });
        const decoded = decodeAggregate3(answer);
        if (decoded.length !== chunk.length) throw new Error(`Multicall3 answered ${decoded.length} results for ${chunk.length} calls`);
        decoded.forEach((r, j) => {
          const call = calls[chunk[j]!]!;
          if (!r.success) throw new Error(`chain call to ${call.target} reverted at block ${String(call.blockTag)}`);
          results[chunk[j]!] = r.returnData;
        });
      }),
    );
  }
  return results;
}

let rpcId = 0;

/** eth_call over plain JSON-RPC (fetch): the result's hex, or an error naming the RPC's answer. */
async function ethCall(url: string, to: string, data: string, blockTag: number | 'latest'): Promise<string> {
  const tag = blockTag === 'latest' ? 'latest' : `0x${blockTag.toString(16)}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method: 'eth_call', params: [{ to, data }, tag] }),
  });
  const text = await response.text();
  let answer: { result?: unknown; error?: { message?: string } };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new Error(`eth_call to ${to} at ${tag}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof answer.result !== 'string' || !/^0x[0-9a-fA-F]*$/.test(answer.result))
    throw new Error(`eth_call to ${to} at ${tag} failed: ${answer.error?.message ?? text.slice(0, 200)}`);
  return answer.result;
}

/** One strategy's unweighted power for every voter (null entries: not computable from the chain). */
async function strategyPower(ctx: PowerContext, ref: StrategyRef, voters: string[], depth = 0): Promise<{ values: (bigint | null)[]; why?: string }> {
  if (depth > 3) throw new Error('strategies nest more than 3 levels');
  const params = ref.params ?? {};
  if (ref.name === 'token-weighted') {
    const address = String(params.address);
    if ((params.method ?? 'getPastVotes') === 'balanceOf') {
      const out = await runCalls(
        ctx,
        voters.map((v) => ({ target: address, data: encodeAddressCall(BALANCE_OF, v), blockTag: ctx.snapshot })),
      );
      return { values: out.map(decodeUint256) };
    }
    let timepoint = BigInt(ctx.snapshot);
    try {
      const mode = token.decodeFunctionResult(
        'CLOCK_MODE',
        await ctx.provider.call({ to: address, data: token.encodeFunctionData('CLOCK_MODE') }),
      )[0] as string;
      if (mode === 'mode=timestamp') timepoint = BigInt((await ctx.provider.getBlock(ctx.snapshot))!.timestamp);
    } catch {
      // A token without CLOCK_MODE (pre-ERC-6372) counts in block numbers.
    }
    const out = await runCalls(
      ctx,
      voters.map((v) => ({ target: address, data: encodeAddressCall(GET_PAST_VOTES, v, timepoint), blockTag: 'latest' })),
    );
    return { values: out.map(decodeUint256) };
  }
  if (ref.name === 'quadratic') {
    const base = await strategyPower(ctx, params.strategy as StrategyRef, voters, depth + 1);
    return { values: base.values.map((p) => (p === null ? null : isqrt(p))), ...(base.why ? { why: base.why } : {}) };
  }
  if (ref.name === 'reputation-weighted') {
    const stake = await strategyPower(ctx, params.stake as StrategyRef, voters, depth + 1);
    const source = params.source as { kind: string; address?: string };
    const pointValue = BigInt(String(params.pointValue));
    if (source.kind !== 'registry') {
      return { values: voters.map(() => null), why: 'reputation-weighted with source "ledger": the reputation ledger is off chain (server database)' };
    }
    const out = await runCalls(
      ctx,
      voters.map((v) => ({ target: String(source.address), data: encodeAddressCall(REPUTATION_AT, v, BigInt(ctx.snapshot)), blockTag: 'latest' })),
    );
    return {
      values: out.map((r, i) => {
        const s = stake.values[i];
        return s === null || s === undefined ? null : s + decodeUint256(r) * pointValue;
      }),
      ...(stake.why ? { why: stake.why } : {}),
    };
  }
  return { values: voters.map(() => null), why: `strategy "${ref.name}" has no formula in the verifier` };
}

export async function recomputePower(ctx: PowerContext, strategies: StrategyRef[], voters: string[]): Promise<Map<string, RecomputedPower>> {
  const perStrategy = await Promise.all(strategies.map((ref) => strategyPower(ctx, ref, voters)));
  const out = new Map<string, RecomputedPower>();
  voters.forEach((voter, i) => {
    out.set(voter, {
      byStrategy: perStrategy.map((s, k) => {
        const value = s.values[i];
        return value === null || value === undefined ? null : value * BigInt(strategies[k]!.weight ?? 1);
      }),
      unavailable: perStrategy.map((s) => (s.values[i] === null ? s.why : undefined)),
    });
  });
  return out;
}
