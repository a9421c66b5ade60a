/**
 * Signature checks of the verifier, independent of the server's code: EIP-712 digests from ethers'
 * TypedDataEncoder over the verifier's own copy of the govrelay types (docs/messages.md), ECDSA
 * recovery with libsecp256k1 (the `secp256k1` package: ethers' pure-JS recovery would make a
 * 100,000-vote proposal take minutes), ERC-1271 `isValidSignature` at the block the server recorded,
 * and the legacy receipt digest of docs/api.md (messages stored before the log).
 */
import secp256k1 from 'secp256k1';
import { AbiCoder, Interface, TypedDataEncoder, type JsonRpcProvider } from 'ethers';
import { fromHex, keccak256, keccak256Hex, toHex } from './bytes.js';
import { uint64be } from './merkle.js';

export const DOMAIN_NAME = 'govrelay';
export const DOMAIN_VERSION = '1';

export const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'salt', type: 'bytes32' },
];

/** docs/messages.md "Message types": the field order is part of each type hash. */
export const GOVRELAY_TYPES: Record<string, { name: string; type: string }[]> = {
  Space: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'settings', type: 'string' },
  ],
  Proposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'title', type: 'string' },
    { name: 'body', type: 'string' },
    { name: 'discussion', type: 'string' },
    { name: 'choices', type: 'string[]' },
    { name: 'votingType', type: 'string' },
    { name: 'snapshot', type: 'uint64' },
    { name: 'execution', type: 'string' },
    { name: 'payloadHash', type: 'bytes32' },
    { name: 'idea', type: 'string' },
    { name: 'kind', type: 'string' },
  ],
  Vote: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'stage', type: 'uint8' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'choice', type: 'string' },
    { name: 'reason', type: 'string' },
  ],
  CancelProposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
  ],
  AdvanceProposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
  ],
  // A council member's veto during the timelock delay: a message of the proposal like its votes.
  Veto: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'reason', type: 'string' },
  ],
};

/**
 * Types a message may have been signed with before the current ones (docs/messages.md): a Proposal
 * signed before proposal kinds has the 12 fields without `kind`. Its id is still its digest under
 * the types it carries.
 */
const EARLIER_TYPES: Record<string, { name: string; type: string }[][]> = {
  Proposal: [GOVRELAY_TYPES.Proposal!.filter((field) => field.name !== 'kind')],
};

/** fieldsOf's answer per signed data object: each message asks three times (its checks and its digest). */
const fieldsByData = new WeakMap<SignedData, { name: string; type: string }[] | null>();

/** The field list a signed message uses: the current one, or an earlier one it carries; null for neither. */
function fieldsOf(data: SignedData): { name: string; type: string }[] | null {
  const known = fieldsByData.get(data);
  if (known !== undefined) return known;
  const carried = JSON.stringify(data.types[data.primaryType]);
  const current = GOVRELAY_TYPES[data.primaryType];
  const fields =
    current && carried === JSON.stringify(current) ? current : ((EARLIER_TYPES[data.primaryType] ?? []).find((f) => carried === JSON.stringify(f)) ?? null);
  fieldsByData.set(data, fields);
  return fields;
}

export interface Domain {
  name: string;
  version: string;
  chainId: number;
  salt: string;
}

/** Differences between a published domain/types and the verifier's constants (empty: they agree). */
export function domainProblems(info: { domain: Domain; types: unknown }, chainId: number): string[] {
  const problems: string[] = [];
  if (info.domain.name !== DOMAIN_NAME) problems.push(`domain.name is ${JSON.stringify(info.domain.name)}, expected "${DOMAIN_NAME}"`);
  if (info.domain.version !== DOMAIN_VERSION) problems.push(`domain.version is ${JSON.stringify(info.domain.version)}, expected "${DOMAIN_VERSION}"`);
  if (Number(info.domain.chainId) !== chainId) problems.push(`domain.chainId is ${info.domain.chainId}, the RPC's chain is ${chainId}`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(String(info.domain.salt))) problems.push('domain.salt is not 32 bytes of hex');
  const types = (info.types ?? {}) as Record<string, unknown>;
  if (JSON.stringify(types.EIP712Domain) !== JSON.stringify(DOMAIN_TYPE)) problems.push('types.EIP712Domain differs from docs/messages.md');
  for (const [name, fields] of Object.entries(GOVRELAY_TYPES)) {
    if (JSON.stringify(types[name]) !== JSON.stringify(fields)) problems.push(`types.${name} differs from docs/messages.md`);
  }
  return problems;
}

export interface SignedData {
  domain: Record<string, unknown>;
  types: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** What is wrong with a signed message's typed data against the deployment's domain, or null. */
export function typedDataProblem(data: SignedData, domain: Domain): string | null {
  if (!GOVRELAY_TYPES[data.primaryType]) return `primaryType ${JSON.stringify(data.primaryType)} is not a govrelay message type`;
  if (!fieldsOf(data)) return `types.${data.primaryType} differs from docs/messages.md`;
  const d = data.domain;
  const keys = Object.keys(d).sort().join(',');
  if (keys !== 'chainId,name,salt,version') return `domain has fields ${keys}, expected chainId,name,salt,version`;
  if (d.name !== domain.name || d.version !== domain.version) return 'domain name/version differ from the deployment';
  if (BigInt(String(d.chainId)) !== BigInt(domain.chainId)) return `domain.chainId ${String(d.chainId)} is not ${domain.chainId}`;
  if (String(d.salt).toLowerCase() !== domain.salt.toLowerCase()) return 'domain.salt is not the deployment salt';
  return null;
}

const encoders = new Map<string, TypedDataEncoder>();
const domainSeparators = new Map<string, string>();
const typeHashes = new Map<string, Uint8Array>();

/**
 * The EIP-712 digest (the message id) with the verifier's types:
 * keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)). hashStruct is computed word by word
 * (`structHash`) for the values the govrelay types carry in their plain form; any other value
 * (a number as hex, a string with a surrogate, an unknown field type…) goes to ethers'
 * TypedDataEncoder, which also decides what is refused. Both give the same digest
 * (test/verify/signatures.test.ts compares them with the server's on random messages of every type).
 */
export function messageDigest(data: SignedData, domain: Domain): string {
  const fields = fieldsOf(data) ?? GOVRELAY_TYPES[data.primaryType]!;
  const encoderKey = `${data.primaryType}:${fields.length}`;
  let typeHash = typeHashes.get(encoderKey);
  if (!typeHash) {
    typeHash = keccak256(new TextEncoder().encode(`${data.primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`));
    typeHashes.set(encoderKey, typeHash);
  }
  const domainKey = JSON.stringify(domain);
  let separator = domainSeparators.get(domainKey);
  if (!separator) {
    separator = TypedDataEncoder.hashDomain(domain);
    domainSeparators.set(domainKey, separator);
  }
  let struct = structHash(typeHash, fields, data.message);
  if (!struct) {
    let encoder = encoders.get(encoderKey);
    if (!encoder) {
      encoder = TypedDataEncoder.from({ [data.primaryType]: fields });
      encoders.set(encoderKey, encoder);
    }
    struct = fromHex(encoder.hash(data.message));
  }
  const input = new Uint8Array(66);
  input[0] = 0x19;
  input[1] = 0x01;
  input.set(fromHex(separator), 2);
  input.set(struct, 34);
  return keccak256Hex(input);
}

const utf8 = new TextEncoder();
const SURROGATE = /[\uD800-\uDFFF]/;
const DECIMAL = /^(0|[1-9][0-9]{0,77})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** keccak256(utf8(value)), or null for what ethers encodes differently or refuses (lone surrogates). */
function stringWord(value: unknown): Uint8Array | null {
  return typeof value === 'string' && !SURROGATE.test(value) ? keccak256(utf8.encode(value)) : null;
}

/** The address word, or null for anything but all-lowercase, all-uppercase or correctly checksummed hex. */
function addressWord(value: unknown): Uint8Array | null {
  if (typeof value !== 'string' || !ADDRESS.test(value)) return null;
  const hex = value.slice(2);
  const lower = hex.toLowerCase();
  if (hex !== lower && hex !== hex.toUpperCase()) {
    // EIP-55: a letter is uppercase exactly when its nibble of keccak256(lowercase hex) is ≥ 8.
    const hash = toHex(keccak256(utf8.encode(lower))).slice(2);
    for (let i = 0; i < 40; i++) {
      const letter = lower[i]! >= 'a';
      if (letter && (hex[i] !== lower[i]) !== parseInt(hash[i]!, 16) >= 8) return null;
    }
  }
  const word = new Uint8Array(32);
  word.set(fromHex(`0x${lower}`), 12);
  return word;
}

function uintWord(value: unknown, bits: number): Uint8Array | null {
  let n: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else if (typeof value === 'string' && DECIMAL.test(value)) n = BigInt(value);
  else return null;
  if (n >= 1n << BigInt(bits)) return null;
  return fromHex(`0x${n.toString(16).padStart(64, '0')}`);
}

function fieldWord(type: string, value: unknown): Uint8Array | null {
  switch (type) {
    case 'string':
      return stringWord(value);
    case 'address':
      return addressWord(value);
    case 'bytes32':
      return typeof value === 'string' && BYTES32.test(value) ? fromHex(value) : null;
    case 'uint8':
      return uintWord(value, 8);
    case 'uint64':
      return uintWord(value, 64);
    case 'uint256':
      return uintWord(value, 256);
    case 'string[]': {
      if (!Array.isArray(value)) return null;
      const words = new Uint8Array(32 * value.length);
      for (const [i, item] of value.entries()) {
        const word = stringWord(item);
        if (!word) return null;
        words.set(word, 32 * i);
      }
      return keccak256(words);
    }
    default:
      return null;
  }
}

/** hashStruct(message) = keccak256(typeHash ‖ encodeData), or null when a value needs ethers' encoder. */
function structHash(typeHash: Uint8Array, fields: { name: string; type: string }[], message: Record<string, unknown>): Uint8Array | null {
  const encoded = new Uint8Array(32 * (fields.length + 1));
  encoded.set(typeHash, 0);
  for (const [i, field] of fields.entries()) {
    const word = fieldWord(field.type, message[field.name]);
    if (!word) return null;
    encoded.set(word, 32 * (i + 1));
  }
  return keccak256(encoded);
}

const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** The address (lowercase hex) that signed `digest` with a 65-byte r‖s‖v signature (v 27/28 or 0/1, low s), or null. */
export function recoverSigner(digest: string, signature: string): string | null {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return null;
  const bytes = fromHex(signature);
  const v = bytes[64]!;
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return null;
  if (BigInt(`0x${signature.slice(66, 130)}`) > HALF_N) return null;
  try {
    const publicKey = secp256k1.ecdsaRecover(bytes.subarray(0, 64), recid, fromHex(digest), false);
    // Lowercase, not checksummed: the checksum is two more keccak256 per signature, and every caller compares lowercase.
    return `0x${keccak256Hex(publicKey.subarray(1)).slice(26)}`;
  } catch {
    return null;
  }
}

/** keccak256(id ‖ uint64be(receivedAt ms)): what a `legacyReceipt` signs (docs/api.md "Receipts"); a message's receipt since is its log leaf. */
export function receiptDigest(messageId: string, receivedAtMs: number): string {
  const input = new Uint8Array(40);
  input.set(fromHex(messageId), 0);
  input.set(uint64be(receivedAtMs), 32);
  return keccak256Hex(input);
}

const ERC1271 = new Interface(['function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)']);
const MAGIC = '0x1626ba7e';
const ERC6492_SUFFIX = '6492649264926492649264926492649264926492649264926492649264926492';

export type SignatureVerdict = { ok: true; how: string } | { ok: false; problem: string } | { ok: null; note: string };

/**
 * The signature check of docs/messages.md "Accepted signatures": an EOA first; otherwise the
 * contract wallet's isValidSignature at the recorded block. An ERC-6492 signature of a wallet that
 * had no code at that block would need a deployless validator contract of the verifier's own: it is
 * reported as not checked (ok: null), never as valid.
 */
export async function checkSignature(
  provider: JsonRpcProvider,
  from: string,
  digest: string,
  signature: string,
  sigBlock: string | null,
  /** recoverSigner(digest, signature) when the caller already has it (recover-pool.ts). */
  recovered?: string | null,
): Promise<SignatureVerdict> {
  const signer = recovered !== undefined ? recovered : recoverSigner(digest, signature);
  if (signer !== null && signer === from.toLowerCase()) return { ok: true, how: 'eoa' };
  if (sigBlock === null)
    return { ok: false, problem: signer ? `signed by ${signer}, not ${from}` : 'not a valid ECDSA signature and no contract-wallet block recorded' };
  const blockTag = Number(sigBlock);
  let inner = signature;
  if (signature.toLowerCase().endsWith(ERC6492_SUFFIX)) {
    const wrapped = `0x${signature.slice(2, signature.length - 64)}`;
    inner = String(AbiCoder.defaultAbiCoder().decode(['address', 'bytes', 'bytes'], wrapped)[2]);
    const code = await provider.getCode(from, blockTag);
    if (code === '0x')
      return { ok: null, note: `ERC-6492 signature of a wallet not deployed at block ${blockTag}: not checked (needs a deployless validator)` };
  }
  try {
    const answer = await provider.call({ to: from, data: ERC1271.encodeFunctionData('isValidSignature', [digest, inner]), blockTag });
    if (answer.slice(0, 10).toLowerCase() === MAGIC) return { ok: true, how: `erc1271@${blockTag}` };
    return { ok: false, problem: `isValidSignature at block ${blockTag} answered ${answer.slice(0, 10)}` };
  } catch (error) {
    return { ok: false, problem: `isValidSignature at block ${blockTag} reverted: ${(error as Error).message.slice(0, 120)}` };
  }
}
