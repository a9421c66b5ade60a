/**
 * Shared by the EIP-712 tests (digest, envelope, signature): the test domain, seeded random messages
 * of every type, signing with ethers, and expectCode. Each test file gets its own seeded stream.
 */
import t from 'tap';
import { Wallet, getAddress, id, type TypedDataField } from 'ethers';
import { AppError } from '../../core/errors.js';
import { createDigester } from '../../server/eip712/digest.js';
import { MESSAGE_TYPES, buildDomain, type Eip712Domain, type MessageByType, type PrimaryType } from '../../server/eip712/types.js';
import { seededRandom } from './random.js';

export const SALT = id('govrelay signatures test');
export const DOMAIN = buildDomain(31337, SALT);
export const digester = createDigester(DOMAIN);
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export function ethersTypes(primaryType: PrimaryType): Record<string, TypedDataField[]> {
  return { [primaryType]: MESSAGE_TYPES[primaryType].map((field) => ({ ...field })) };
}

export const random = seededRandom(0x712);
export const int = (max: number) => Math.floor(random() * max);
export const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const CODE_POINT_POOLS: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x01, 0x1f], // control characters (NUL cannot be stored and is refused: see below)
  [0xa0, 0x17f], // Latin-1, Latin Extended-A
  [0x300, 0x36f], // combining marks
  [0x4e00, 0x9fff], // CJK
  [0x1f300, 0x1faff], // emoji (surrogate pairs in UTF-16)
  [0x200d, 0x200d], // zero-width joiner
];

export function randomString(): string {
  const length = random() < 0.15 ? 0 : random() < 0.1 ? 100 + int(400) : int(24);
  let text = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = pick(CODE_POINT_POOLS);
    text += String.fromCodePoint(low + int(high - low + 1));
  }
  return text;
}

export function randomHex(bytes: number): string {
  let hex = '0x';
  for (let i = 0; i < bytes; i++) hex += int(256).toString(16).padStart(2, '0');
  return hex;
}

export function randomAddress(): string {
  const lower = randomHex(20);
  return pick([lower, getAddress(lower), `0x${lower.slice(2).toUpperCase()}`]);
}

export function randomUint64(): number {
  return pick([0, 1, Number.MAX_SAFE_INTEGER, int(2 ** 32), Math.floor(random() * Number.MAX_SAFE_INTEGER)]);
}

export function randomMessage(primaryType: PrimaryType): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const { name, type } of MESSAGE_TYPES[primaryType]) {
    switch (type) {
      case 'address':
        message[name] = randomAddress();
        break;
      case 'bytes32':
        message[name] = randomHex(32);
        break;
      case 'string':
        message[name] = randomString();
        break;
      case 'string[]':
        message[name] = Array.from({ length: pick([0, 0, 1, 2, 5]) }, randomString);
        break;
      case 'address[]':
        message[name] = Array.from({ length: pick([0, 1, 2, 5]) }, randomAddress);
        break;
      case 'uint16[]':
        message[name] = Array.from({ length: pick([0, 1, 2, 5]) }, () => int(65_536));
        break;
      case 'uint8':
        message[name] = int(256);
        break;
      case 'uint16':
        message[name] = int(65536);
        break;
      case 'uint64':
        message[name] = randomUint64();
        break;
      default:
        throw new Error(`test has no generator for ${type}`);
    }
  }
  return message;
}

export function sampleVote(from: string, overrides: Partial<MessageByType['Vote']> = {}): MessageByType['Vote'] {
  return {
    from,
    space: 'braintrust',
    proposal: id('proposal-1'),
    stage: 1,
    timestamp: 1_735_689_800,
    choice: '[1,3]',
    reason: 'approve both',
    ...overrides,
  };
}

export async function signWith(wallet: Wallet, primaryType: PrimaryType, message: object, domain: Eip712Domain = DOMAIN) {
  return wallet.signTypedData(domain, ethersTypes(primaryType), message as Record<string, unknown>);
}

/** Asserts that `promiseOrFn` throws an AppError with this code (and returns it for more checks). */
/** The type of a tap subtest's `t` (tap does not export it under a short name). */
export type TestContext = Parameters<Parameters<typeof t.test>[0]>[0];

export async function expectCode(t: TestContext, code: string, promiseOrFn: Promise<unknown> | (() => unknown), note = '') {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    t.type(error, AppError, `throws an AppError for ${code}`);
    t.equal((error as AppError).code, code, `${note ? `${note}: ` : ''}${code}: ${(error as Error).message}`);
    return error as AppError;
  }
  t.fail(`${note ? `${note}: ` : ''}expected ${code}, nothing was thrown`);
  return undefined;
}
