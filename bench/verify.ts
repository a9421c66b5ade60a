/**
 * Micro-benchmark: signed votes verified per second on one core, by
 *   - digest.ts + native recovery (recoverEoa), the path the server uses,
 *   - the same plus envelope parsing (schema checks, types/domain checks),
 *   - ethers verifyTypedData, the path Snapshot's sequencer uses (the baseline),
 *   - bare libsecp256k1 recovery over precomputed digests (the ceiling for signature checks).
 * Every path checks the same pre-signed votes and must accept all of them.
 *
 *   npx tsx bench/verify.ts [count]
 */
import { isScript } from './run-as-script.js';
import { randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { TypedDataEncoder, computeAddress, hexlify, id, verifyTypedData, type TypedDataField } from 'ethers';
import { createDigester, bytesToHex } from '../server/eip712/digest.js';
import { EnvelopeParser } from '../server/eip712/envelope.js';
import { recoverEoa } from '../server/eip712/signature.js';
import { MESSAGE_TYPES, buildDomain, typesFor, type VoteMessage } from '../server/eip712/types.js';

export interface VerifyBenchResult {
  votes: number;
  /** digest.ts + recoverEoa, per second. */
  digestRecoverPerSec: number;
  /** envelope parse (validation + digest) + recoverEoa, per second. */
  envelopeRecoverPerSec: number;
  /** ethers verifyTypedData, per second. */
  ethersVerifyPerSec: number;
  /** Bare libsecp256k1 public-key recovery of the same signatures over precomputed digests (the ceiling). */
  nativeRecoverPerSec: number;
  /** digestRecoverPerSec / ethersVerifyPerSec. */
  speedup: number;
  /** digestRecoverPerSec / nativeRecoverPerSec. */
  nativeRatio: number;
}

interface SignedVote {
  message: VoteMessage;
  signature: string;
  digestHex: string;
}

const domain = buildDomain(31337, id('govrelay bench'));
const voteTypes: Record<string, TypedDataField[]> = { Vote: MESSAGE_TYPES.Vote.map((f) => ({ ...f })) };

/** Votes as they arrive in a busy proposal: few spaces and choices, mostly empty reasons, many voters. */
function makeVotes(count: number): SignedVote[] {
  const digester = createDigester(domain);
  const proposals = Array.from({ length: 4 }, (_, i) => id(`bench proposal ${i}`));
  const choices = ['1', '2', '3', '[1,3]', '{"1":2,"3":1}'];
  return Array.from({ length: count }, (_, i) => {
    let key: Uint8Array;
    do key = randomBytes(32);
    while (!secp256k1.privateKeyVerify(key));
    const message: VoteMessage = {
      from: computeAddress(hexlify(key)),
      space: 'braintrust',
      proposal: proposals[i % proposals.length]!,
      stage: 1 + (i % 2),
      timestamp: 1_735_689_600 + i,
      choice: choices[i % choices.length]!,
      reason: i % 10 === 0 ? `reason number ${i}: ${'words '.repeat(i % 20)}` : '',
    };
    const digest = digester.digestBytes('Vote', message);
    const { signature, recid } = secp256k1.ecdsaSign(digest, key); // libsecp256k1 signs low-s
    const sig = new Uint8Array(65);
    sig.set(signature);
    sig[64] = 27 + recid;
    return { message, signature: bytesToHex(sig), digestHex: bytesToHex(digest) };
  });
}

function perSecond(count: number, run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
}

export function benchmarkVerify(options: { count?: number } = {}): VerifyBenchResult {
  const count = options.count ?? 4000;
  const votes = makeVotes(count);
  const digester = createDigester(domain);
  const parser = new EnvelopeParser({ domain });
  const envelopes = votes.map((v) => ({
    address: v.message.from,
    sig: v.signature,
    data: { domain, types: typesFor('Vote'), primaryType: 'Vote', message: v.message },
  }));
  const signatureBytes = votes.map((v) => Buffer.from(v.signature.slice(2), 'hex'));
  const fail = (path: string, i: number) => {
    throw new Error(`${path} rejected vote ${i}`);
  };

  const digestRecover = () => {
    for (let i = 0; i < count; i++) {
      const vote = votes[i]!;
      if (recoverEoa(digester.digestBytes('Vote', vote.message), signatureBytes[i]!) !== vote.message.from.toLowerCase()) fail('digest+recover', i);
    }
  };
  const envelopeRecover = () => {
    for (let i = 0; i < count; i++) {
      const parsed = parser.parse(envelopes[i]);
      if (recoverEoa(parsed.digestBytes, parsed.signatureBytes) !== parsed.from) fail('envelope+recover', i);
    }
  };
  const ethersCount = Math.min(count, 1000);
  const ethersVerify = () => {
    for (let i = 0; i < ethersCount; i++) {
      const vote = votes[i]!;
      if (verifyTypedData(domain, voteTypes, vote.message, vote.signature) !== vote.message.from) fail('ethers', i);
    }
  };

  const digests = votes.map((v) => Buffer.from(v.digestHex.slice(2), 'hex'));
  const nativeRecover = () => {
    for (let i = 0; i < count; i++) {
      const sig = signatureBytes[i]!;
      if (secp256k1.ecdsaRecover(sig.subarray(0, 64), sig[64]! - 27, digests[i]!, false).length !== 65) fail('native recover', i);
    }
  };

  // Same digests as ethers, checked once outside the timed loops.
  for (const vote of votes.slice(0, 50)) {
    if (TypedDataEncoder.hash(domain, voteTypes, vote.message) !== vote.digestHex) throw new Error('digest.ts disagrees with ethers');
  }
  // Warm up the JIT, then measure the paths in turns, three times, and keep each one's median:
  // a burst of other load on the machine then shifts one sample, not one path.
  digestRecover();
  envelopeRecover();
  nativeRecover();
  const samples = { digest: [] as number[], envelope: [] as number[], native: [] as number[], ethers: [] as number[] };
  for (let round = 0; round < 3; round++) {
    samples.native.push(perSecond(count, nativeRecover));
    samples.digest.push(perSecond(count, digestRecover));
    samples.envelope.push(perSecond(count, envelopeRecover));
    samples.ethers.push(perSecond(ethersCount, ethersVerify));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
  const digestRecoverPerSec = median(samples.digest);
  const ethersVerifyPerSec = median(samples.ethers);
  const nativeRecoverPerSec = median(samples.native);
  return {
    votes: count,
    digestRecoverPerSec,
    envelopeRecoverPerSec: median(samples.envelope),
    ethersVerifyPerSec,
    nativeRecoverPerSec,
    speedup: Math.round((digestRecoverPerSec / ethersVerifyPerSec) * 10) / 10,
    nativeRatio: Math.round((digestRecoverPerSec / nativeRecoverPerSec) * 1000) / 1000,
  };
}

if (isScript(import.meta.url)) {
  console.log(JSON.stringify(benchmarkVerify({ count: Number(process.argv[2] ?? 4000) })));
}
