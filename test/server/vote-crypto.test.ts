/**
 * Vote crypto in worker threads (server/messages/vote-crypto.ts): the same signer as on the event
 * loop (and as ethers), for valid and invalid signatures, in bursts spread over threads; a worker
 * that dies fails only its own batch (retryable) and is replaced.
 */
import t, { type Test } from 'tap';
import { SigningKey, Wallet, recoverAddress } from 'ethers';
import { VoteCrypto, VoteCryptoError } from '../../server/messages/vote-crypto.js';
import { recoverEoa } from '../../server/eip712/ecdsa.js';
import { bytesToHex, hexToBytes } from '../../server/eip712/digest.js';
import { keccak256 } from '../../server/eip712/keccak.js';

const HALF_ORDER_PLUS = 'ffffffffffffffffffffffffffffffffbaaedce6af48a03bbfd25e8cd0364141';

interface Case {
  what: string;
  digest: Uint8Array;
  signature: Uint8Array;
  expectedSigner: string | null;
}

/** Deterministic votes: key i signs digest keccak(i); every fifth is broken in some way. */
function cases(count: number): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const key = new SigningKey(bytesToHex(keccak256(Buffer.from(`voter ${i}`))));
    const digest = keccak256(Buffer.from(`vote ${i}`));
    const signature = hexToBytes(key.sign(digest).serialized)!;
    const address = new Wallet(key).address.toLowerCase();
    switch (i % 5) {
      case 1: {
        // The malleable twin (s' = n - s, v flipped): same signer, refused as high-s.
        const twin = signature.slice();
        const s = BigInt(bytesToHex(signature.subarray(32, 64)));
        twin.set(hexToBytes('0x' + (BigInt('0x' + HALF_ORDER_PLUS) - s).toString(16).padStart(64, '0'))!, 32);
        twin[64] = signature[64] === 27 ? 28 : 27;
        return { what: 'high-s twin', digest, signature: twin, expectedSigner: null };
      }
      case 2: {
        const badV = signature.slice();
        badV[64] = 29;
        return { what: 'v = 29', digest, signature: badV, expectedSigner: null };
      }
      case 3: {
        const otherDigest = keccak256(Buffer.from(`another vote ${i}`));
        return {
          what: 'signed another digest',
          digest: otherDigest,
          signature,
          expectedSigner: recoverAddress(otherDigest, bytesToHex(signature)).toLowerCase(),
        };
      }
      default:
        return { what: 'valid', digest, signature, expectedSigner: address };
    }
  });
}

async function check(t: Test, crypto: VoteCrypto, list: Case[]) {
  const results = await Promise.all(list.map((c) => crypto.run(c.digest, c.signature)));
  let mismatches = 0;
  results.forEach((result, i) => {
    const c = list[i]!;
    if (result.signer !== c.expectedSigner || result.signer !== recoverEoa(c.digest, c.signature)) mismatches++;
  });
  t.equal(mismatches, 0, `${list.length} votes: the signer equals the event loop's (valid, high-s, bad v, other digest)`);
  t.ok(
    results.some((r) => r.signer === null),
    'and the broken ones recover to no signer',
  );
}

t.test('worker threads give the same answers as the event loop, in bursts over two threads', async (t) => {
  const crypto = new VoteCrypto({ threads: 2 });
  t.teardown(() => crypto.close());
  await check(t, crypto, cases(20));
  await check(t, crypto, cases(1000));
});

t.test('threads: 0 runs inline with the same answers', async (t) => {
  const crypto = new VoteCrypto({ threads: 0 });
  await check(t, crypto, cases(50));
  await crypto.close();
  await crypto.close();
  await t.rejects(crypto.run(new Uint8Array(32), new Uint8Array(65)), VoteCryptoError, 'closed: refuses');
});

t.test('a dead worker fails its batch (retryable) and is replaced; close is safe twice', async (t) => {
  const crypto = new VoteCrypto({ threads: 1 });
  const list = cases(200);
  const pending = Promise.allSettled(list.map((c) => crypto.run(c.digest, c.signature)));
  // The worker dies of an uncaught exception (a message it cannot read), queued ahead of the batch,
  // which is handed over at the next turn and so is in flight when the worker dies. Not terminate():
  // ending a thread while it is inside the native secp256k1 call aborts the whole process (SIGABRT),
  // which is also why close() waits for the batches in flight.
  const worker = (crypto as unknown as { threads: { worker: { postMessage(message: unknown): void } }[] }).threads[0]!.worker;
  worker.postMessage({ id: -1, input: null });
  const settled = await pending;
  const failed = settled.filter((s) => s.status === 'rejected');
  t.equal(failed.length, 200, "all 200 in the dead worker's batch refused");
  t.ok(
    failed.every((s) => (s as PromiseRejectedResult).reason instanceof VoteCryptoError && (s as PromiseRejectedResult).reason.retryable),
    'as retryable internal errors',
  );
  await check(t, crypto, cases(30));
  await crypto.close();
  await crypto.close();
});

t.test('ready() checks every worker against the event loop', async (t) => {
  const crypto = new VoteCrypto({ threads: 2 });
  await crypto.ready();
  t.pass('both workers answered their self-test');
  await crypto.close();
});
