/**
 * The salted commitment a Subscribe signs instead of the address (docs/messages.md#subscribe):
 * keccak256(abi.encode(string email, bytes32 salt)) with a fresh random salt per message, so the
 * published message cannot be reversed by hashing candidate addresses.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** 32 random bytes from the browser's CSPRNG, as 0x-hex. */
export function newSalt(): string {
  return `0x${hex(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** abi.encode(string, bytes32): head (offset 0x40, salt), then length and the UTF-8 bytes padded to 32. */
export function emailCommitment(address: string, salt: string): string {
  const text = new TextEncoder().encode(address);
  const padded = Math.ceil(text.length / 32) * 32;
  const encoded = new Uint8Array(96 + padded);
  const view = new DataView(encoded.buffer);
  view.setUint32(28, 0x40);
  const saltHex = salt.slice(2);
  for (let i = 0; i < 32; i++) encoded[32 + i] = parseInt(saltHex.slice(i * 2, i * 2 + 2), 16);
  view.setUint32(92, text.length);
  encoded.set(text, 96);
  return `0x${hex(keccak_256(encoded))}`;
}
