/**
 * The verifier's hand-written ABI words (verify/abi-words.ts) give the bytes ethers' coder gives:
 * aggregate3 calls and answers with call data of every length, address calls, uint256 answers; and
 * answers that do not hold what they claim are refused, not misread.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { AbiCoder, hexlify, Interface, Wallet } from 'ethers';
import { decodeAggregate3, decodeUint256, encodeAddressCall, encodeAggregate3 } from '../../verify/abi-words.js';

const multicall = new Interface([
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)',
]);
const token = new Interface(['function balanceOf(address) view returns (uint256)', 'function getPastVotes(address, uint256) view returns (uint256)']);
const address = () => Wallet.createRandom().address;

t.test('aggregate3 calldata = ethers encodeFunctionData, call data of 0 to 100 bytes', async (t) => {
  const selector = multicall.getFunction('aggregate3')!.selector;
  for (const count of [0, 1, 2, 7, 50]) {
    const calls = Array.from({ length: count }, (_, i) => ({ target: address(), callData: hexlify(randomBytes((i * 13) % 101)) }));
    const ours = encodeAggregate3(selector, calls);
    const ethers = multicall.encodeFunctionData('aggregate3', [calls.map((c) => ({ ...c, allowFailure: true }))]);
    t.equal(ours, ethers, `${count} calls`);
  }
});

t.test('aggregate3 answers decode as ethers decodes them; truncated or lying answers are refused', async (t) => {
  const results = Array.from({ length: 9 }, (_, i) => ({ success: i % 3 !== 0, returnData: hexlify(randomBytes((i * 17) % 70)) }));
  const answer = multicall.encodeFunctionResult('aggregate3', [results]);
  t.same(decodeAggregate3(answer), results);
  t.same(decodeAggregate3(multicall.encodeFunctionResult('aggregate3', [[]])), []);
  t.throws(() => decodeAggregate3(answer.slice(0, answer.length - 64)), /beyond/);
  const lyingCount = answer.slice(0, 2 + 64) + (10n ** 6n).toString(16).padStart(64, '0') + answer.slice(2 + 128);
  t.throws(() => decodeAggregate3(lyingCount), /beyond/);
});

t.test('address calls and uint256 answers = ethers', async (t) => {
  const who = address();
  t.equal(encodeAddressCall(token.getFunction('balanceOf')!.selector, who), token.encodeFunctionData('balanceOf', [who]));
  t.equal(encodeAddressCall(token.getFunction('getPastVotes')!.selector, who, 12345n), token.encodeFunctionData('getPastVotes', [who, 12345n]));
  t.throws(() => encodeAddressCall('0x70a08231', '0x1234'), /not an address/);
  const value = 2n ** 255n + 7n;
  t.equal(decodeUint256(AbiCoder.defaultAbiCoder().encode(['uint256'], [value])), value);
  t.throws(() => decodeUint256('0x01'), /32 bytes/);
});
