/**
 * keccak256 for the signature path: hash-wasm's Keccak (WebAssembly, 1.2 µs per short input here,
 * against 3.1–3.7 µs for the `keccak` package's native addon, whose five N-API calls per hash cost
 * more than the hashing, and ~10 µs for @noble/hashes in JavaScript). A vote takes four on the
 * server (struct hash, digest, signer address, signature hash for its log leaf). Identical results
 * to @noble/hashes (test/server/eip712/keccak.test.ts compares them).
 *
 * One hasher per thread (the module is loaded once per worker thread too); it is used synchronously,
 * init → update → digest, so no two hashes ever interleave on it.
 */
import { createKeccak } from 'hash-wasm';
import { keccak_256 } from '@noble/hashes/sha3.js';

const hasher = await createKeccak(256);

export function keccak256(data: Uint8Array): Uint8Array {
  return hasher.init().update(data).digest('binary');
}

/** The pure-JavaScript implementation, for tests that compare the two. */
export const keccak256Noble = keccak_256;
