/**
 * The private part of a Subscribe message: the envelope's unsigned `email` field,
 * { address, salt }, checked against the signed emailHash.
 *
 * Why a salted commitment rather than the address, or its plain hash, in the signed message: the
 * signed message is published (GET /api/messages/:id) and kept forever, so an address in it would be
 * public forever; a plain keccak256 of an address can be reversed by hashing candidate addresses.
 * With a random 32-byte salt only the server, which receives both, can tell which address was
 * signed for; anyone holding the address and the salt (the subscriber, the server) can still prove
 * that the signer asked for exactly that address.
 */
import { AbiCoder, keccak256 } from 'ethers';
import { InvalidInputError } from '../../core/errors.js';

/** The HTML specification's rule for an email input (the one browsers apply), with the 254-character limit of RFC 5321. */
const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const SALT_PATTERN = /^0x[0-9a-fA-F]{64}$/;
export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(value);
}

/** keccak256(abi.encode(string email, bytes32 salt)): what a Subscribe message signs as emailHash. */
export function emailCommitment(address: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['string', 'bytes32'], [address, salt]));
}

export interface PrivateEmail {
  address: string;
  salt: string;
}

/** The checked `email` field of a Subscribe envelope, or a 400 naming the problem. */
export function parsePrivateEmail(field: unknown, signedHash: string): PrivateEmail {
  if (field === undefined) {
    throw new InvalidInputError('EMAIL_REQUIRED', 'a Subscribe envelope carries the unsigned field email: { address, salt }', { details: { path: '/email' } });
  }
  const record = typeof field === 'object' && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : null;
  const extra = record ? Object.keys(record).filter((key) => key !== 'address' && key !== 'salt') : [];
  if (!record || extra.length > 0) {
    throw new InvalidInputError('INVALID_ENVELOPE', `email must be an object { address, salt }${extra.length ? `; unexpected field ${extra[0]}` : ''}`, {
      details: { path: '/email' },
    });
  }
  const { address, salt } = record;
  if (typeof address !== 'string' || !isEmailAddress(address)) {
    throw new InvalidInputError('INVALID_EMAIL', '/email/address is not an email address', { details: { path: '/email/address' } });
  }
  if (typeof salt !== 'string' || !SALT_PATTERN.test(salt)) {
    throw new InvalidInputError('INVALID_ENVELOPE', '/email/salt must be 0x + 64 hex digits', { details: { path: '/email/salt' } });
  }
  if (emailCommitment(address, salt) !== signedHash.toLowerCase()) {
    throw new InvalidInputError('EMAIL_HASH_MISMATCH', '/message/emailHash is not keccak256(abi.encode(email.address, email.salt))', {
      details: { path: '/message/emailHash' },
    });
  }
  return { address, salt: salt.toLowerCase() };
}
