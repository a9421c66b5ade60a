/**
 * verify/recover-pool.ts: the signers recovered on worker threads are recoverSigner's, in order, for
 * enough pairs to use several workers, invalid signatures included (null, as recoverSigner says); a
 * pool fed page by page (as verify.ts feeds it) answers each page in order, and refuses work once
 * closed.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { createRecoverPool, recoverSigners } from '../../verify/recover-pool.js';
import { recoverSigner } from '../../verify/signatures.js';

function signedPairs(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const digest = randomBytes(32);
    let key = randomBytes(32);
    while (!secp256k1.privateKeyVerify(key)) key = randomBytes(32);
    const { signature, recid } = secp256k1.ecdsaSign(digest, key);
    const sig = Buffer.concat([signature, Buffer.of(27 + recid)]).toString('hex');
    // Every 97th a broken signature (v = 29), every 89th not hex-sized.
    const broken = i % 97 === 0 ? `0x${sig.slice(0, 128)}1d` : i % 89 === 0 ? '0x1234' : `0x${sig}`;
    return { digest: `0x${digest.toString('hex')}`, signature: broken };
  });
}

t.test('6,001 pairs on 2 workers = recoverSigner on this thread, invalid ones null', async (t) => {
  const pairs = signedPairs(6001);
  const expected = pairs.map((p) => recoverSigner(p.digest, p.signature));
  const pooled = await recoverSigners(pairs, 2);
  t.same(pooled, expected);
  t.ok(expected.filter((x) => x === null).length > 60, 'invalid signatures were among them');
  t.same(await recoverSigners(pairs.slice(0, 10), 2), expected.slice(0, 10), 'a few pairs: recovered on this thread');
});

t.test('one pool fed page by page, pages in flight together: each answer is its page, in order', async (t) => {
  const pairs = signedPairs(9000);
  const expected = pairs.map((p) => recoverSigner(p.digest, p.signature));
  const pool = createRecoverPool(2);
  // Pages of 2,000 (1,000 messages), the last one short: the first on this thread, the others on the workers.
  const pages = [0, 2000, 4000, 6000, 8000].map((start) => pairs.slice(start, start + 2000));
  const answers = await Promise.all(pages.map((page) => pool.recover(page)));
  t.same(answers.flat(), expected);
  t.same(await pool.recover([]), [], 'an empty page');
  await pool.close();
  await t.rejects(pool.recover(pages[0]!), /closed/, 'a closed pool refuses work');
});
