/**
 * What the receipt key signs besides receipts: the log's tree heads and final stage results.
 * Each digest starts with its own domain tag, so a signature of one kind can never be replayed as
 * another (nor as a receipt, whose preimage is 40 bytes without a tag). docs/api.md documents both.
 *
 *   tree head:    keccak256(utf8("govrelay:tree-head:v1") ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp ms))
 *   stage result: keccak256(utf8("govrelay:stage-result:v1") ‖ proposalId ‖ uint8(stage) ‖ uint64be(logTreeSize)
 *                           ‖ keccak256(utf8(canonicalJson(signedStageResult(result)))))
 */
import { getBytes, keccak256, toUtf8Bytes } from 'ethers';

/** Signs a 32-byte digest with the receipt key: r ‖ s ‖ v (v 27/28) as 0x hex, like a receipt. */
export type DigestSigner = (digest: Uint8Array) => string;

const TREE_HEAD_TAG = toUtf8Bytes('govrelay:tree-head:v1');
const STAGE_RESULT_TAG = toUtf8Bytes('govrelay:stage-result:v1');

function uint64(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`uint64: bad value ${value}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function treeHeadDigest(treeSize: number, rootHash: Uint8Array, timestampMs: number): Uint8Array {
  if (rootHash.length !== 32) throw new Error('tree head: root hash must be 32 bytes');
  return getBytes(keccak256(concat([TREE_HEAD_TAG, uint64(treeSize), rootHash, uint64(timestampMs)])));
}

/**
 * Canonical JSON (docs/api.md, "Signed stage results"): object keys sorted by UTF-16 code units, no
 * whitespace, strings escaped as JSON.stringify does, integers in decimal, no other numbers. For the
 * values a stage result holds (strings, integers, booleans, null, arrays, objects) this is RFC 8785.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`canonical JSON: ${value} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON: unsupported value of type ${typeof value}`);
}

/** The published fields of a stage result that its signature covers (everything but stage, computedAt and the signature itself). */
export interface SignedStageResult {
  votingType: string;
  choices: string[];
  scores: string[];
  scoresByStrategy: string[][];
  totalPower: string;
  voterCount: number;
  quorum: string;
  quorumReached: boolean;
  passed: boolean;
  winningChoice: number | null;
  outcome: string;
}

export function signedStageResult(r: SignedStageResult): SignedStageResult {
  return {
    votingType: r.votingType,
    choices: r.choices,
    scores: r.scores,
    scoresByStrategy: r.scoresByStrategy,
    totalPower: r.totalPower,
    voterCount: r.voterCount,
    quorum: r.quorum,
    quorumReached: r.quorumReached,
    passed: r.passed,
    winningChoice: r.winningChoice,
    outcome: r.outcome,
  };
}

export function stageResultDigest(proposalId: string, stage: number, logTreeSize: number, result: SignedStageResult): Uint8Array {
  if (!/^0x[0-9a-f]{64}$/.test(proposalId)) throw new Error(`stage result: unexpected proposal id ${proposalId}`);
  if (!Number.isInteger(stage) || stage < 0 || stage > 255) throw new Error(`stage result: bad stage ${stage}`);
  const resultHash = getBytes(keccak256(toUtf8Bytes(canonicalJson(signedStageResult(result)))));
  return getBytes(keccak256(concat([STAGE_RESULT_TAG, getBytes(proposalId), Uint8Array.of(stage), uint64(logTreeSize), resultHash])));
}
