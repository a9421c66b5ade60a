/**
 * Hex and keccak-256 on the verifier's hot paths (several per message, 100,000 messages): Buffer's
 * hex codec, where ethers' getBytes / hexlify / keccak256 wrappers parse hex a byte at a time and cost
 * more than the hash itself; and keccak-256 through the `keccak` package's prebuilt native addon
 * (Keccak-f in C, about twice as fast as @noble/hashes: the hashes of a message's EIP-712 digest,
 * receipt and log leaf were a third of the main thread's CPU on a 100,000-vote proposal), with
 * @noble/hashes when the addon does not load. Same results (test/verify/bytes.test.ts compares the
 * two), same refusals (input that is not 0x-prefixed hex bytes throws).
 */
import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

export function fromHex(hex: string): Uint8Array {
  if (!HEX_BYTES.test(hex)) throw new TypeError(`not 0x-prefixed hex bytes: ${hex.slice(0, 24)}`);
  const buffer = Buffer.from(hex.slice(2), 'hex');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export const toHex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;

interface NativeKeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Uint8Array): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Uint8Array;
}

/** The addon's state class, loaded as the package loads it (node-gyp-build over its prebuilds); null when it does not load. */
function loadNativeKeccak(): (new () => NativeKeccakState) | null {
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('keccak/package.json');
    const addon: unknown = createRequire(packageJson)('node-gyp-build')(packageJson.slice(0, -'/package.json'.length));
    return typeof addon === 'function' ? (addon as new () => NativeKeccakState) : null;
  } catch {
    return null;
  }
}

const NativeKeccak = loadNativeKeccak();

export const keccakImplementation: 'native' | 'noble' = NativeKeccak ? 'native' : 'noble';

/** keccak-256 (rate 1088 bits, capacity 512, Keccak's 0x01 padding, not SHA-3's). */
export const keccak256: (bytes: Uint8Array) => Uint8Array = NativeKeccak
  ? (bytes) => {
      const state = new NativeKeccak();
      state.initialize(1088, 512);
      state.absorb(bytes);
      state.absorbLastFewBits(0x01);
      return state.squeeze(32);
    }
  : keccak_256;

/** keccak-256 of bytes, as 0x hex (lowercase). */
export const keccak256Hex = (bytes: Uint8Array): string => toHex(keccak256(bytes));
