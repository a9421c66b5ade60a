/**
 * The executor's view of a payload: each call run with eth_call from the executor (the timelock,
 * the account that will make it) at the latest block, one by one, with its revert decoded. (In core:
 * the payload preview, server/payload/, and the stored batch simulations, batch.ts, both use it.) Like the
 * relayer's dry run (relayer/operator.ts), but public and without a relayer address: it says whether
 * the calls would succeed now, not whether the timelock steps would.
 */
import { isError, type Interface, type JsonRpcProvider } from 'ethers';
import type { AbiBook } from '../spaces/abis.js';
import { formatUnits } from '../chain/units.js';

/** One call of a payload. */
export interface PayloadCall {
  target: string;
  /** wei, decimal string */
  value: string;
  data: string;
}

export interface CallSimulation {
  ok: boolean;
  /** Present when ok: what eth_estimateGas says the call costs. */
  gasEstimate: string | null;
  /** The decoded revert ("ERC20InsufficientBalance(0x…, 0, 5)", "Error: not allowed", "Panic(0x11)"), or why it could not run. */
  error: string | null;
}

export interface PayloadSimulation {
  from: string;
  block: string;
  calls: CallSimulation[];
  /** Every call succeeded on its own. The calls run in one batch on chain, so a later call may depend on an earlier one. */
  ok: boolean;
}

/** Errors the node itself failed with (not a revert): these mean "could not simulate", and the route answers 503. */
export class SimulationUnavailableError extends Error {
  override name = 'SimulationUnavailableError';
}

export async function simulatePayload(
  provider: Pick<JsonRpcProvider, 'call' | 'estimateGas' | 'getBlockNumber' | 'getBalance'>,
  from: string,
  calls: PayloadCall[],
  book: AbiBook,
): Promise<PayloadSimulation> {
  const block = await provider.getBlockNumber();
  // Some nodes (hardhat's) run an eth_call with value even when the sender cannot pay it: the
  // executor's balance is checked here, against what the batch sends up to each call.
  const sendsEth = calls.some((c) => BigInt(c.value) > 0n);
  const balance = sendsEth ? await provider.getBalance(from, block) : 0n;
  let sent = 0n;
  const results: CallSimulation[] = [];
  for (const call of calls) {
    sent += BigInt(call.value);
    if (BigInt(call.value) > 0n && sent > balance) {
      const error = `the executor holds ${formatUnits(balance, 18)} ETH, and the calls up to this one send ${formatUnits(sent, 18)} ETH`;
      results.push({ ok: false, gasEstimate: null, error });
      continue;
    }
    const request = { from, to: call.target, data: call.data, value: BigInt(call.value), blockTag: block };
    try {
      await provider.call(request);
      let gasEstimate: string | null = null;
      try {
        gasEstimate = String(await provider.estimateGas(request));
      } catch {
        // the call succeeded; an estimate is a nicety
      }
      results.push({ ok: true, gasEstimate, error: null });
    } catch (error) {
      if (isError(error, 'CALL_EXCEPTION')) {
        results.push({ ok: false, gasEstimate: null, error: decodeRevert(error.data, book, call.target) ?? error.reason ?? 'reverted without data' });
        continue;
      }
      throw new SimulationUnavailableError(`eth_call failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, { cause: error });
    }
  }
  return { from, block: String(block), calls: results, ok: results.every((r) => r.ok) };
}

const PANIC_REASONS: Record<string, string> = {
  '0x01': 'assertion failed',
  '0x11': 'arithmetic overflow or underflow',
  '0x12': 'division by zero',
  '0x21': 'invalid enum value',
  '0x22': 'bad storage byte array',
  '0x31': 'pop on empty array',
  '0x32': 'array index out of bounds',
  '0x41': 'out of memory',
  '0x51': 'call to an invalid function',
};

/** Revert data → "Name(arg, …)", "Error: reason" or "Panic(0x11): arithmetic overflow or underflow"; null without data. */
export function decodeRevert(data: string | null | undefined, book: AbiBook, target?: string): string | null {
  if (!data || data === '0x') return null;
  const interfaces: Interface[] = [];
  const own = target ? book.known(target).iface : null;
  if (own) interfaces.push(own);
  interfaces.push(book.generic);
  for (const iface of interfaces) {
    let parsed;
    try {
      parsed = iface.parseError(data);
    } catch {
      continue;
    }
    if (!parsed) continue;
    const args = parsed.args.toArray().map((a: unknown) => (typeof a === 'bigint' ? a.toString() : String(a)));
    if (parsed.name === 'Error') return `Error: ${args[0]}`;
    if (parsed.name === 'Panic') {
      const code = `0x${BigInt(args[0]!).toString(16).padStart(2, '0')}`;
      return `Panic(${code})${PANIC_REASONS[code] ? `: ${PANIC_REASONS[code]}` : ''}`;
    }
    return `${parsed.name}(${args.join(', ')})`;
  }
  return `revert data ${data.slice(0, 74)}${data.length > 74 ? '…' : ''}`;
}
