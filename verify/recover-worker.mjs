/**
 * A worker thread of verify/recover-pool.ts: recovers the signers of (digest, signature) pairs with
 * libsecp256k1. Plain JavaScript, because a worker does not inherit the TypeScript loader `npm run
 * verify` starts with (node --import tsx); it is recoverSigner of signatures.ts line for line, and
 * test/verify/recover-pool.test.ts compares the two on thousands of pairs, invalid ones included.
 */
import { Buffer } from 'node:buffer';
import { parentPort } from 'node:worker_threads';
import secp256k1 from 'secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';

const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The address (lowercase hex) that signed `digest` with a 65-byte r‖s‖v signature (v 27/28 or 0/1, low s), or null. */
function recoverSigner(digest, signature) {
  if (!SIGNATURE.test(signature)) return null;
  const bytes = Buffer.from(signature.slice(2), 'hex');
  const v = bytes[64];
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return null;
  if (BigInt(`0x${signature.slice(66, 130)}`) > HALF_N) return null;
  try {
    if (!HEX_BYTES.test(digest)) throw new TypeError('the digest is not hex bytes');
    const publicKey = secp256k1.ecdsaRecover(bytes.subarray(0, 64), recid, Buffer.from(digest.slice(2), 'hex'), false);
    return `0x${Buffer.from(keccak_256(publicKey.subarray(1)))
      .toString('hex')
      .slice(24)}`;
  } catch {
    return null;
  }
}

parentPort.on('message', (job) => {
  const signers = job.digests.map((digest, i) => recoverSigner(digest, job.signatures[i]));
  parentPort.postMessage({ id: job.id, signers });
});
