/**
 * The verifier's stage-result signature code (verify/stage-signature.ts) against the server's
 * (core/log/digests.ts): the same canonical JSON and digest for results of every voting type with
 * awkward strings, a signature by the receipt key accepted, and each kind of mismatch named.
 */
import t from 'tap';
import { getBytes, hexlify, Wallet } from 'ethers';
import { canonicalJson as serverCanonicalJson, stageResultDigest as serverDigest, type SignedStageResult } from '../../core/log/digests.js';
import { canonicalJson, stageResultDigest, stageSignatureProblem } from '../../verify/stage-signature.js';

const key = new Wallet('0x' + '33'.repeat(32));
const PROPOSAL = '0x' + 'ab'.repeat(32);

function result(i: number): SignedStageResult & { stage: number; computedAt: string; warnings: unknown[] } {
  const types = ['basic', 'single-choice', 'approval', 'weighted', 'quadratic', 'ranked-choice'];
  const choices = ['For', 'Against', 'Abstain', 'ünïcödé 🗳', 'quote " and \\ backslash', '\u2028 line sep'].slice(0, 2 + (i % 5));
  return {
    stage: 1 + (i % 2),
    votingType: types[i % types.length]!,
    choices,
    scores: choices.map((_, k) => String(BigInt(i + 1) * 10n ** 18n * BigInt(k + 1))),
    scoresByStrategy: choices.map((_, k) => [String(k), String(k * 2)]),
    totalPower: String(123456789n * 10n ** 18n * BigInt(i + 1)),
    voterCount: i * 7,
    quorum: '0',
    quorumReached: i % 3 !== 0,
    passed: i % 2 === 0,
    winningChoice: i % 4 === 0 ? null : 1,
    outcome: i % 2 === 0 ? 'passed' : 'defeated',
    computedAt: new Date(1_764_860_400_000 + i).toISOString(),
    warnings: i % 2 ? [{ kind: 'power-spike', detail: 'x' }] : [],
  };
}

t.test('canonical JSON and the digest equal the server’s', async (t) => {
  let same = 0;
  for (let i = 0; i < 60; i++) {
    const r = result(i);
    if (
      canonicalJson(r) === serverCanonicalJson(r) &&
      stageResultDigest(PROPOSAL, r.stage, 1000 + i, r) === hexlify(serverDigest(PROPOSAL, r.stage, 1000 + i, r))
    )
      same++;
  }
  t.equal(same, 60, '60 results of every voting type');
  t.throws(() => canonicalJson(1.5), /not an integer/);
});

t.test('a result signed by the receipt key holds; each mismatch is named', async (t) => {
  const r = result(3);
  const signature = key.signingKey.sign(getBytes(serverDigest(PROPOSAL, r.stage, 77, r))).serialized;
  const published = { ...r, logTreeSize: 77, signature };
  t.equal(stageSignatureProblem(PROPOSAL, r.stage, published, key.address), null, 'the signed result');
  t.equal(
    stageSignatureProblem(PROPOSAL, r.stage, { ...published, ...{ warnings: ['added later'], computedAt: 'x' } }, key.address),
    null,
    'warnings and computedAt are not signed',
  );
  t.match(stageSignatureProblem(PROPOSAL, r.stage, { ...published, voterCount: r.voterCount + 1 }, key.address), /not the receipt key's/, 'a field changed');
  t.match(stageSignatureProblem(PROPOSAL, r.stage, { ...published, logTreeSize: 78 }, key.address), /at log tree size 78/, 'another tree size');
  t.match(stageSignatureProblem(PROPOSAL, r.stage + 1, published, key.address), /not the receipt key's/, 'another stage');
  t.match(stageSignatureProblem('0x' + 'cd'.repeat(32), r.stage, published, key.address), /not the receipt key's/, 'another proposal');
  t.match(stageSignatureProblem(PROPOSAL, r.stage, published, Wallet.createRandom().address), /recovers to 0x/, 'another receipt key');
  t.match(stageSignatureProblem(PROPOSAL, r.stage, { ...published, signature: null }, key.address), /names log tree size 77 but is not signed/);
  t.match(stageSignatureProblem(PROPOSAL, r.stage, { ...published, logTreeSize: null }, key.address), /names no log tree size/);
  t.equal(stageSignatureProblem(PROPOSAL, r.stage, { ...r, logTreeSize: null, signature: null }, key.address), null, 'a result from before the log');
});
