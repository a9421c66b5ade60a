/**
 * verify/recover-pool.ts: the signers recovered on worker threads are recoverSigner's, in order, for
 * enough pairs to use several workers, invalid signatures included (null, as recoverSigner says).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { recoverSigners } from '../../verify/recover-pool.js';
import { recoverSigner } from '../../verify/signatures.js';

t.test('6,001 pairs on 2 workers = recoverSigner on this thread, invalid ones null', async (t) => {
  const pairs = Array.from({ length: 6001 }, (_, i) => {
    const digest = randomBytes(32);
    let key = randomBytes(32);
    while (!secp256k1.privateKeyVerify(key)) key = randomBytes(32);
    const { signature, recid } = secp256k1.ecdsaSign(digest, key);
    const sig = Buffer.concat([signature, Buffer.of(27 + recid)]).toString('hex');
    // Every 97th a broken signature (v = 29), every 89th not hex-sized.
    const broken = i % 97 === 0 ? `0x${sig.slice(0, 128)}1d` : i % 89 === 0 ? '0x1234' : `0x${sig}`;
    return { digest: `0x${digest.toString('hex')}`, signature: broken };
  });
  const expected = pairs.map((p) => recoverSigner(p.digest, p.signature));
  const pooled = await recoverSigners(pairs, 2);
  t.same(pooled, expected);
  t.ok(expected.filter((x) => x === null).length > 60, 'invalid signatures were among them');
  t.same(await recoverSigners(pairs.slice(0, 10), 2), expected.slice(0, 10), 'a few pairs: recovered on this thread');
});
