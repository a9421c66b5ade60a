/**
 * A final stage result's signature (docs/api.md, "Signed stage results"), checked with code of the
 * verifier's own: the receipt key signs keccak256(utf8("govrelay:stage-result:v1") ‖ proposalId ‖
 * uint8(stage) ‖ uint64be(logTreeSize) ‖ keccak256(utf8(C))), C the canonical JSON of the result's
 * published fields below. A result whose signature holds is the server's word for that tally at that
 * tree size: a member who keeps it can hold the server to it later.
 */
import { fromHex, keccak256, keccak256Hex } from './bytes.js';
import { uint64be } from './merkle.js';
import { recoverSigner } from './signatures.js';

/** The fields the signature covers (not stage, computedAt, logTreeSize, signature nor warnings). */
const SIGNED_FIELDS = [
  'votingType',
  'choices',
  'scores',
  'scoresByStrategy',
  'totalPower',
  'voterCount',
  'quorum',
  'quorumReached',
  'passed',
  'winningChoice',
  'outcome',
] as const;

export type SignedResultFields = Record<(typeof SIGNED_FIELDS)[number], unknown>;

/** RFC 8785 for what a stage result holds: keys sorted by UTF-16 code units, no whitespace, integers only. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`canonical JSON: ${value} is not an integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new Error(`canonical JSON: a ${typeof value} is not allowed`);
}

const TAG = new TextEncoder().encode('govrelay:stage-result:v1');

export function stageResultDigest(proposalId: string, stage: number, logTreeSize: number, result: SignedResultFields): string {
  const signed = Object.fromEntries(SIGNED_FIELDS.map((field) => [field, result[field]]));
  const resultHash = keccak256(new TextEncoder().encode(canonicalJson(signed)));
  const id = fromHex(proposalId);
  const input = new Uint8Array(TAG.length + 32 + 1 + 8 + 32);
  input.set(TAG, 0);
  input.set(id, TAG.length);
  input[TAG.length + 32] = stage;
  input.set(uint64be(logTreeSize), TAG.length + 33);
  input.set(resultHash, TAG.length + 41);
  return keccak256Hex(input);
}

/** Why the result's signature does not hold (null: it is the receipt key's over exactly these fields). */
export function stageSignatureProblem(
  proposalId: string,
  stage: number,
  result: SignedResultFields & { logTreeSize?: number | null; signature?: string | null },
  receiptSigner: string,
): string | null {
  if (result.signature === undefined || result.signature === null) {
    // Results stored before the log have neither; one without the other is not what the server writes.
    return typeof result.logTreeSize === 'number' ? `names log tree size ${result.logTreeSize} but is not signed` : null;
  }
  if (typeof result.logTreeSize !== 'number') return 'signed, but names no log tree size';
  let signer: string | null;
  try {
    signer = recoverSigner(stageResultDigest(proposalId, stage, result.logTreeSize, result), result.signature);
  } catch (error) {
    return `its fields cannot be put in canonical form (${error instanceof Error ? error.message : String(error)})`;
  }
  if (signer?.toLowerCase() !== receiptSigner.toLowerCase())
    return `its signature is not the receipt key's over these fields at log tree size ${result.logTreeSize} (it recovers to ${signer ?? 'no address'})`;
  return null;
}
