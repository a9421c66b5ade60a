/**
 * Hex and keccak-256 on the verifier's hot paths (several per message, 100,000 messages): Buffer's
 * hex codec and @noble/hashes' keccak directly, where ethers' getBytes / hexlify / keccak256 wrappers
 * parse hex a byte at a time and cost more than the hash itself. Same results, same refusals (input
 * that is not 0x-prefixed hex bytes throws).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

export function fromHex(hex: string): Uint8Array {
  if (!HEX_BYTES.test(hex)) throw new TypeError(`not 0x-prefixed hex bytes: ${hex.slice(0, 24)}`);
  const buffer = Buffer.from(hex.slice(2), 'hex');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export const toHex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;

/** keccak-256 of bytes, as 0x hex (lowercase). */
export const keccak256Hex = (bytes: Uint8Array): string => toHex(keccak_256(bytes));
