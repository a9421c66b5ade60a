/**
 * The hand-written aggregate3 codec (core/chain/multicall.ts) against ethers' ABI coder: the
 * same calldata for any calls, the same results for any answer, and malformed answers refused.
 * The reader itself, on a chain, is covered by strategies.test.ts.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Interface, getAddress, hexlify } from 'ethers';
import { decodeAggregate3Result, decodeUint256, encodeAggregate3, type MulticallCall, type MulticallResult } from '../../core/chain/multicall.js';
import { balanceOfCallData, getPastVotesCallData } from '../../core/chain/token.js';

const ethersMulticall = new Interface([
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) returns ((bool success, bytes returnData)[] returnData)',
]);

/** Byte lengths around word boundaries, and a typical 36-byte call. */
const LENGTHS = [0, 1, 4, 31, 32, 33, 36, 63, 64, 65, 100];
const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;

function randomCalls(count: number, seed: number): MulticallCall[] {
  const targets = [hexlify(randomBytes(20)), getAddress(hexlify(randomBytes(20))), '0x' + 'ab'.repeat(20)];
  return Array.from({ length: count }, (_, i) => ({
    target: pick(targets, i + seed),
    callData: hexlify(randomBytes(pick(LENGTHS, i * 7 + seed))),
    ...(i % 3 === 0 ? {} : { allowFailure: i % 3 === 1 }),
  }));
}

t.test('encodeAggregate3 gives the calldata ethers gives', async (t) => {
  for (const count of [0, 1, 2, 3, 17, 250]) {
    const calls = randomCalls(count, count);
    t.equal(
      encodeAggregate3(calls),
      ethersMulticall.encodeFunctionData('aggregate3', [calls.map((c) => [c.target, c.allowFailure ?? false, c.callData])]),
      `${count} calls`,
    );
  }
  // Upper-case hex in callData is the same bytes.
  t.equal(
    encodeAggregate3([{ target: '0x' + 'ab'.repeat(20), callData: '0xABCDEF' }]),
    encodeAggregate3([{ target: '0x' + 'ab'.repeat(20), callData: '0xabcdef' }]),
  );
  t.throws(() => encodeAggregate3([{ target: '0x1234', callData: '0x' }]), 'a short address');
  t.throws(() => encodeAggregate3([{ target: '0xAbcdef0000000000000000000000000000000000', callData: '0x' }]), 'a bad checksum');
  t.throws(() => encodeAggregate3([{ target: '0x' + 'ab'.repeat(20), callData: '0xabc' }]), TypeError, 'half a byte');
  t.throws(() => encodeAggregate3([{ target: '0x' + 'ab'.repeat(20), callData: 'abcd' }]), TypeError, 'no 0x');
});

t.test('decodeAggregate3Result reads what ethers encodes', async (t) => {
  for (const count of [0, 1, 2, 5, 300]) {
    const results: MulticallResult[] = Array.from({ length: count }, (_, i) => ({
      success: i % 4 !== 1,
      returnData: hexlify(randomBytes(pick(LENGTHS, i * 5 + count))),
    }));
    const raw = ethersMulticall.encodeFunctionResult('aggregate3', [results.map((r) => [r.success, r.returnData])]);
    t.strictSame(decodeAggregate3Result(raw), results, `${count} results`);
    t.strictSame(decodeAggregate3Result(raw.toUpperCase().replace(/^0X/, '0x')), results, `${count} results, upper-case hex`);
  }
});

t.test('malformed answers are refused, never read as results', async (t) => {
  const raw = ethersMulticall.encodeFunctionResult('aggregate3', [
    [
      [true, '0x' + '11'.repeat(32)],
      [false, '0x'],
    ],
  ]);
  t.throws(() => decodeAggregate3Result('0x'), 'empty (no Multicall3 code)');
  t.throws(() => decodeAggregate3Result(raw.slice(0, raw.length - 64)), 'truncated');
  t.throws(() => decodeAggregate3Result(raw.slice(0, 2 + 64 * 3)), 'offsets only');
  t.throws(() => decodeAggregate3Result(raw + '0'), 'half a byte');
  t.throws(() => decodeAggregate3Result('0x' + 'ff'.repeat(32) + raw.slice(66)), 'array offset out of range');
  t.throws(() => decodeAggregate3Result(raw.replace(/^0x/, '0y')), 'not hex');
  // A length that points past the end.
  const words = raw.slice(2).match(/.{64}/g)!;
  const lengthIndex = words.findIndex((w, i) => i > 4 && BigInt('0x' + w) === 32n);
  words[lengthIndex] = (10_000).toString(16).padStart(64, '0');
  t.throws(() => decodeAggregate3Result('0x' + words.join('')), 'returnData length past the end');
});

t.test('decodeUint256 reads the first word, and refuses what is not a uint256', async (t) => {
  const word = (n: bigint) => n.toString(16).padStart(64, '0');
  t.equal(decodeUint256({ success: true, returnData: '0x' + word(12345n) }, 'x'), 12345n);
  t.equal(decodeUint256({ success: true, returnData: '0x' + word(2n ** 256n - 1n) + word(7n) }, 'x'), 2n ** 256n - 1n);
  t.throws(() => decodeUint256({ success: true, returnData: '0x' }, 'x'), { code: 'CHAIN_BAD_RESPONSE' });
  t.throws(() => decodeUint256({ success: true, returnData: '0x' + '00'.repeat(31) }, 'x'), { code: 'CHAIN_BAD_RESPONSE' });
  t.throws(() => decodeUint256({ success: false, returnData: '0x' + word(1n) }, 'x'), { code: 'CHAIN_BAD_RESPONSE' });
  t.throws(() => decodeUint256({ success: true, returnData: '0x' + 'zz'.repeat(32) }, 'x'), { code: 'CHAIN_BAD_RESPONSE' });
});

t.test('per-voter token calldata is what ethers encodes', async (t) => {
  const token = new Interface([
    'function balanceOf(address account) view returns (uint256)',
    'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  ]);
  for (let i = 0; i < 50; i++) {
    const account = i % 2 === 0 ? hexlify(randomBytes(20)) : getAddress(hexlify(randomBytes(20)));
    const timepoint = i % 3 === 0 ? BigInt(i) : BigInt(hexlify(randomBytes(1 + (i % 32))));
    t.equal(balanceOfCallData(account), token.encodeFunctionData('balanceOf', [account]));
    t.equal(getPastVotesCallData(account, timepoint), token.encodeFunctionData('getPastVotes', [account, timepoint]));
  }
  t.throws(() => balanceOfCallData('0x1234'), TypeError);
  t.throws(() => getPastVotesCallData('0x' + 'ab'.repeat(20), -1n), RangeError);
});
