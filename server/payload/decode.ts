/**
 * Each payload call decoded for people: an ERC-20 transfer reads "20 BTK from the treasury to 0x…",
 * an ETH transfer "1.5 ETH from the treasury to 0x…", any other call as its function and arguments
 * when an ABI the server knows matches (the target's registered ABI first, then ERC-20/721 and the
 * DAO's contracts), and raw calldata otherwise. Amounts are formatted from integers (never floats).
 */
import { getAddress, type Interface, type ParamType, type Result } from 'ethers';
import type { AbiBook } from '../../core/spaces/abis.js';
import type { TokenMetadata } from '../../core/chain/token-metadata.js';
import { formatUnits } from '../../core/chain/units.js';

export type { PayloadCall } from '../../core/simulation/calls.js';
import type { PayloadCall } from '../../core/simulation/calls.js';

export interface DecodedArg {
  name: string;
  type: string;
  /** Addresses checksummed, integers as decimal strings, bytes as hex, arrays/tuples as JSON. */
  value: string;
}

export interface DecodedCall {
  kind: 'erc20-transfer' | 'eth-transfer' | 'call' | 'raw';
  /** The function signature, e.g. "transfer(address,uint256)"; null for eth-transfer and raw. */
  function: string | null;
  args: DecodedArg[];
  /** One sentence for people. */
  text: string;
  /** For erc20-transfer: the token and the amount in base units. */
  token?: TokenMetadata;
  amount?: string;
}

export interface DecodeContext {
  book: AbiBook;
  /** Who makes the calls (the timelock): its label in the text. */
  from: string | null;
  tokenMetadata(address: string): Promise<TokenMetadata | null>;
}

/** 1234500000000000000 with 18 decimals → "1.2345"; never a float. */
// Moved to core with the payload simulation (the relayer simulates too); re-exported for the server's modules.
export { formatUnits };

const ERC20_MOVES = new Set(['transfer(address,uint256)', 'transferFrom(address,address,uint256)', 'approve(address,uint256)']);

export async function decodeCall(call: PayloadCall, ctx: DecodeContext): Promise<DecodedCall> {
  const value = BigInt(call.value);
  const from = ctx.from ? ctx.book.describe(ctx.from) : 'the executor';
  const to = ctx.book.describe(call.target);
  const ethPart = value > 0n ? `${formatUnits(value, 18)} ETH` : null;

  if (call.data === '0x' || call.data === '') {
    if (value === 0n) return { kind: 'raw', function: null, args: [], text: `a call to ${to} with no data and no value` };
    return { kind: 'eth-transfer', function: null, args: [], text: `${ethPart} from ${from} to ${to}` };
  }

  const known = ctx.book.known(call.target);
  const parsed = parseWith(known.iface, call) ?? parseWith(ctx.book.generic, call);
  if (!parsed) {
    const text = `raw call to ${to}${ethPart ? ` with ${ethPart}` : ''}: selector ${call.data.slice(0, 10)}, ${(call.data.length - 2) / 2} bytes (no known ABI)`;
    return { kind: 'raw', function: null, args: [], text };
  }

  const signature = parsed.fragment.format('sighash');
  const args = parsed.fragment.inputs.map((input, i) => ({ name: input.name || `arg${i}`, type: input.type, value: argText(input, parsed.args[i]) }));
  const withEth = ethPart ? `, sending ${ethPart}` : '';

  if (ERC20_MOVES.has(signature)) {
    const token = await ctx.tokenMetadata(call.target);
    if (token && token.decimals !== null) {
      const unit = token.symbol ?? `tokens of ${getAddress(call.target)}`;
      const amountOf = (raw: unknown) => `${formatUnits(BigInt(raw as bigint), token.decimals!)} ${unit}`;
      const a = parsed.args;
      if (signature === 'transfer(address,uint256)') {
        return {
          kind: 'erc20-transfer',
          function: signature,
          args,
          token,
          amount: String(a[1]),
          text: `${amountOf(a[1])} from ${from} to ${ctx.book.describe(String(a[0]))}${withEth}`,
        };
      }
      if (signature === 'transferFrom(address,address,uint256)') {
        return {
          kind: 'erc20-transfer',
          function: signature,
          args,
          token,
          amount: String(a[2]),
          text: `${amountOf(a[2])} from ${ctx.book.describe(String(a[0]))} to ${ctx.book.describe(String(a[1]))}, moved by ${from}${withEth}`,
        };
      }
      return { kind: 'call', function: signature, args, token, text: `${from} allows ${ctx.book.describe(String(a[0]))} to spend ${amountOf(a[1])}${withEth}` };
    }
    if (token && signature === 'transferFrom(address,address,uint256)') {
      const a = parsed.args;
      const collection = token.symbol ?? token.name ?? getAddress(call.target);
      return {
        kind: 'call',
        function: signature,
        args,
        token,
        text: `${collection} #${String(a[2])} from ${ctx.book.describe(String(a[0]))} to ${ctx.book.describe(String(a[1]))}${withEth}`,
      };
    }
  }

  const argList = args.map((a) => `${a.name} = ${a.type === 'address' ? ctx.book.describe(a.value) : a.value}`).join(', ');
  return { kind: 'call', function: signature, args, text: `${from} calls ${parsed.name}(${argList}) on ${to}${withEth}` };
}

function parseWith(iface: Interface | null, call: PayloadCall) {
  if (!iface) return null;
  try {
    return iface.parseTransaction({ data: call.data, value: BigInt(call.value) });
  } catch {
    // the selector matched but the arguments do not decode: not this ABI
    return null;
  }
}

function argText(param: ParamType, value: unknown): string {
  if (param.type === 'address') return getAddress(String(value));
  if (param.baseType === 'array' || param.baseType === 'tuple') return JSON.stringify(plain(value));
  return typeof value === 'bigint' ? value.toString() : String(value);
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return (value as unknown[]).map(plain);
  if (value && typeof value === 'object' && 'toArray' in value) return (value as Result).toArray().map(plain);
  return value;
}
