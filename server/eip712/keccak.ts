/**
 * keccak256 for the signature path: the `keccak` package's prebuilt native addon (Keccak-f in C,
 * ~2.4 µs per short input here) when it loads, else @noble/hashes (pure JavaScript, ~4.3 µs). A vote
 * takes four of them (struct hash, digest, signer address, receipt), so this is a tenth of its
 * signature check. Both give identical results (test/server/eip712/keccak.test.ts compares them).
 */
import { createRequire } from 'node:module';
import { keccak_256 } from '@noble/hashes/sha3.js';

interface NativeKeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Uint8Array): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

type NativeKeccakConstructor = new () => NativeKeccakState;

/** The addon's state class, loaded the way the package itself loads it (node-gyp-build over its prebuilds). */
function loadNative(): NativeKeccakConstructor | null {
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('keccak/package.json');
    const addon: unknown = createRequire(packageJson)('node-gyp-build')(packageJson.slice(0, -'/package.json'.length));
    return typeof addon === 'function' ? (addon as NativeKeccakConstructor) : null;
  } catch {
    return null;
  }
}

const Native = loadNative();

/** keccak256 through the native addon: rate 1088 bits, capacity 512, Keccak padding (0x01). */
function nativeKeccak256(data: Uint8Array): Uint8Array {
  const state = new Native!();
  state.initialize(1088, 512);
  state.absorb(data);
  state.absorbLastFewBits(0x01);
  return state.squeeze(32);
}

export const keccakImplementation: 'native' | 'noble' = Native ? 'native' : 'noble';

export const keccak256: (data: Uint8Array) => Uint8Array = Native ? nativeKeccak256 : keccak_256;

/** The pure-JavaScript implementation, for tests that compare the two. */
export const keccak256Noble = keccak_256;
