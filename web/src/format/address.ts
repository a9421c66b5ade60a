/** EIP-55 checksummed addresses, computed locally (keccak-256 from @noble/hashes, a few KB). */
import { keccak_256 } from '@noble/hashes/sha3.js';

const encoder = new TextEncoder();

export function checksumAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{40}$/.test(lower)) return address;
  const hash = keccak_256(encoder.encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out;
}

export function shortAddress(address: string): string {
  const c = checksumAddress(address);
  return c.length === 42 ? `${c.slice(0, 6)}…${c.slice(-4)}` : c;
}
