/**
 * The few ABI encodings the power check sends 100,000 times, written out word by word: Multicall3's
 * `aggregate3((address,bool,bytes)[])` call and answer, a call of `f(address)` or `f(address,uint256)`,
 * and a uint256 answer. ethers' generic coder (Interface.encodeFunctionData / decodeFunctionResult,
 * a checksummed address per call) spent more CPU on a 100,000-voter proposal than everything else the
 * verifier does; these produce the same bytes (test/verify/abi-words.test.ts compares them with ethers).
 */

const WORD = 64; // hex digits

const word = (value: number | bigint): string => value.toString(16).padStart(WORD, '0');

function addressWord(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`not an address: ${address}`);
  return `000000000000000000000000${address.slice(2).toLowerCase()}`;
}

/** Calldata of `selector(address[, uint256])`. */
export function encodeAddressCall(selector: string, address: string, amount?: bigint): string {
  return `${selector}${addressWord(address)}${amount === undefined ? '' : word(amount)}`;
}

/** Calldata of Multicall3 `aggregate3(calls)`, every call with allowFailure = true. */
export function encodeAggregate3(selector: string, calls: readonly { target: string; callData: string }[]): string {
  const heads: string[] = [];
  const tails: string[] = [];
  let offset = calls.length * 32;
  for (const call of calls) {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(call.callData)) throw new Error('callData is not hex bytes');
    const length = (call.callData.length - 2) / 2;
    const padded = call.callData.slice(2).padEnd(Math.ceil(length / 32) * WORD, '0');
    heads.push(word(offset));
    const element = `${addressWord(call.target)}${word(1)}${word(0x60)}${word(length)}${padded}`;
    tails.push(element);
    offset += element.length / 2;
  }
  return `${selector}${word(0x20)}${word(calls.length)}${heads.join('')}${tails.join('')}`;
}

/** The `(bool success, bytes returnData)[]` answer of aggregate3; throws on data that does not hold it. */
export function decodeAggregate3(answer: string): { success: boolean; returnData: string }[] {
  const hex = answer.startsWith('0x') ? answer.slice(2) : answer;
  const bytes = hex.length / 2;
  const read = (at: number): number => {
    if (!Number.isInteger(at) || at < 0 || at + 32 > bytes) throw new Error(`aggregate3 answer: word at ${at} is beyond its ${bytes} bytes`);
    const value = BigInt(`0x${hex.slice(at * 2, at * 2 + WORD)}`);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`aggregate3 answer: offset or length ${value} at ${at} is too large`);
    return Number(value);
  };
  const array = read(0);
  const count = read(array);
  const base = array + 32;
  const out: { success: boolean; returnData: string }[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const element = base + read(base + 32 * i);
    const success = read(element) !== 0;
    const data = element + read(element + 32);
    const length = read(data);
    if (data + 32 + length > bytes) throw new Error(`aggregate3 answer: returnData ${i} is beyond its ${bytes} bytes`);
    out[i] = { success, returnData: `0x${hex.slice((data + 32) * 2, (data + 32 + length) * 2)}` };
  }
  return out;
}

/** A uint256 answer (its first word; an answer shorter than a word does not hold one). */
export function decodeUint256(returnData: string): bigint {
  if (returnData.length < 2 + WORD) throw new Error(`a uint256 answer needs 32 bytes, got ${(returnData.length - 2) / 2}`);
  return BigInt(returnData.slice(0, 2 + WORD));
}
