/**
 * keccak256 (server/eip712/keccak.ts): hash-wasm's Keccak and @noble/hashes agree. (Split from signatures.test.ts.)
 */
import t from 'tap';
import { keccak256, keccak256Noble } from '../../../server/eip712/keccak.js';

t.test('keccak256: hash-wasm and @noble/hashes agree on every length around the block size', async (t) => {
  const lengths = [0, 1, 31, 32, 33, 64, 65, 135, 136, 137, 271, 272, 273, 600, 4096, 65_537, 200_000];
  for (const length of lengths) {
    for (const fill of [0, 0x5a, 0xff]) {
      const data = new Uint8Array(length).map((_, i) => (fill + i * 7) & 0xff);
      t.same(Buffer.from(keccak256(data)), Buffer.from(keccak256Noble(data)), `${length} bytes, fill ${fill}`);
    }
  }
  // A view into a larger buffer hashes only its own bytes.
  const backing = new Uint8Array(100).fill(9);
  t.same(Buffer.from(keccak256(backing.subarray(10, 42))), Buffer.from(keccak256Noble(backing.subarray(10, 42))));
});
