/**
 * verify/bytes.ts: keccak-256 through the native addon = @noble/hashes on every length around the
 * block size (136 bytes), views into larger buffers included; hex in and out.
 */
import t from 'tap';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex, keccak256, keccak256Hex, keccakImplementation, toHex } from '../../verify/bytes.js';

t.test('keccak256: the native addon and @noble/hashes agree', async (t) => {
  t.equal(keccakImplementation, 'native', 'the prebuilt addon loads on this platform');
  for (const length of [0, 1, 31, 32, 33, 64, 65, 66, 72, 135, 136, 137, 271, 272, 273, 600, 4096]) {
    for (const fill of [0, 0x5a, 0xff]) {
      const data = new Uint8Array(length).map((_, i) => (fill + i * 7) & 0xff);
      t.same(Buffer.from(keccak256(data)), Buffer.from(keccak_256(data)), `${length} bytes, fill ${fill}`);
    }
  }
  const backing = new Uint8Array(100).fill(9);
  t.same(Buffer.from(keccak256(backing.subarray(10, 42))), Buffer.from(keccak_256(backing.subarray(10, 42))), 'a view hashes only its own bytes');
  // keccak256("") — the well-known empty hash (not SHA3-256's a7ffc6f8…).
  t.equal(keccak256Hex(new Uint8Array(0)), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});

t.test('hex in and out', async (t) => {
  t.equal(toHex(fromHex('0x00ABff')), '0x00abff');
  t.throws(() => fromHex('0x123'), /not 0x-prefixed hex bytes/);
  t.throws(() => fromHex('abcd'), /not 0x-prefixed hex bytes/);
});
