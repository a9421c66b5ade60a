/**
 * Fast EIP-712 digests for govrelay's fixed message types.
 *
 * Why not ethers' TypedDataEncoder: it re-derives the type graph, re-encodes every value through
 * its ABI coder and round-trips through hex strings on each call (~4,700 digests/s). Our types are
 * fixed and flat (no nested structs), so every type hash and the domain separator are computed
 * once, and each message is written field by field into one reused buffer and hashed with keccak.
 * The result equals TypedDataEncoder.hash(domain, types, message) (test/server/eip712/digest.test.ts).
 */
import { keccak256 } from './keccak.js';
import { InvalidInputError } from '../../core/errors.js';
import { EIP712_DOMAIN_TYPE, MESSAGE_TYPES, type Eip712Domain, type MessageByType, type PrimaryType } from './types.js';

const WORD = 32;

// ---------------------------------------------------------------------------------------------
// Byte helpers
// ---------------------------------------------------------------------------------------------

/** Hex digit value by char code, -1 for anything that is not a hex digit. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

function hexDigit(code: number): number {
  return code < 128 ? HEX_VALUE[code]! : -1;
}

/**
 * Decodes `0x` + exactly 2*byteLength hex digits into target[offset..]. Returns false when the
 * string has another length or a non-hex character, so callers can name the field in their error.
 */
function writeHex(target: Uint8Array, offset: number, hex: string, byteLength: number): boolean {
  if (hex.length !== 2 + 2 * byteLength || hex.charCodeAt(0) !== 48 || hex.charCodeAt(1) !== 120) return false;
  for (let i = 0; i < byteLength; i++) {
    const hi = hexDigit(hex.charCodeAt(2 + 2 * i));
    const lo = hexDigit(hex.charCodeAt(3 + 2 * i));
    if ((hi | lo) < 0) return false;
    target[offset + i] = (hi << 4) | lo;
  }
  return true;
}

/** Parses `0x`-prefixed hex of any even length (including `0x`) into bytes, or null if malformed. */
export function hexToBytes(hex: string): Uint8Array | null {
  if (hex.length < 2 || (hex.length & 1) !== 0) return null;
  const bytes = new Uint8Array((hex.length - 2) >>> 1);
  return writeHex(bytes, 0, hex, bytes.length) ? bytes : null;
}

export function bytesToHex(bytes: Uint8Array): string {
  return '0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

function invalid(field: string, problem: string): InvalidInputError {
  return new InvalidInputError('INVALID_MESSAGE', `${field}: ${problem}`, { details: { path: `/message/${field}` } });
}

// ---------------------------------------------------------------------------------------------
// Field encoders: each writes one 32-byte word of encodeData at `offset`
// ---------------------------------------------------------------------------------------------

type FieldEncoder = (word: Uint8Array, offset: number, value: unknown) => void;

function addressEncoder(field: string): FieldEncoder {
  return (word, offset, value) => {
    word.fill(0, offset, offset + 12);
    if (typeof value !== 'string' || !writeHex(word, offset + 12, value, 20)) throw invalid(field, 'must be an address (0x + 40 hex digits)');
  };
}

function bytes32Encoder(field: string): FieldEncoder {
  return (word, offset, value) => {
    if (typeof value !== 'string' || !writeHex(word, offset, value, 32)) throw invalid(field, 'must be bytes32 (0x + 64 hex digits)');
  };
}

/**
 * keccak256 of short strings, cached. Votes repeat the same short values (space id, choice "1",
 * empty reason), and a Map lookup costs ~1% of a keccak call. Bounded: cleared when full, so
 * a flood of distinct strings costs nothing but cache misses.
 */
const SHORT_STRING_MAX_LENGTH = 64;
const SHORT_STRING_CACHE_SIZE = 10_000;
const shortStringHashes = new Map<string, Uint8Array>();

/**
 * A lone UTF-16 surrogate has no UTF-8 form: encoders silently substitute U+FFFD, so two
 * different stored strings would share one digest. ethers refuses them; so do we. A NUL character
 * (U+0000) is signable but cannot be stored: PostgreSQL text and jsonb refuse it.
 */
const UNSTORABLE = /[\p{Cs}\u0000]/u;

function unstorableProblem(text: string): string {
  return text.includes('\u0000') ? 'contains a NUL character (U+0000), which cannot be stored' : 'contains an unpaired UTF-16 surrogate';
}

/** keccak256 of the string's UTF-8 bytes, or null if the string cannot be stored as it is (see UNSTORABLE). */
function hashString(text: string): Uint8Array | null {
  let hash = text.length <= SHORT_STRING_MAX_LENGTH ? shortStringHashes.get(text) : undefined;
  if (hash) return hash;
  if (UNSTORABLE.test(text)) return null;
  hash = keccak256(utf8(text));
  if (text.length <= SHORT_STRING_MAX_LENGTH) {
    if (shortStringHashes.size >= SHORT_STRING_CACHE_SIZE) shortStringHashes.clear();
    shortStringHashes.set(text, hash);
  }
  return hash;
}

function stringEncoder(field: string): FieldEncoder {
  return (word, offset, value) => {
    if (typeof value !== 'string') throw invalid(field, 'must be a string');
    const hash = hashString(value);
    if (!hash) throw invalid(field, unstorableProblem(value));
    word.set(hash, offset);
  };
}

/** string[] is encoded as keccak256 of the concatenated keccak256 hashes of its elements. */
function stringArrayEncoder(field: string): FieldEncoder {
  return (word, offset, value) => {
    if (!Array.isArray(value)) throw invalid(field, 'must be an array of strings');
    const hashes = new Uint8Array(value.length * WORD);
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (typeof element !== 'string') throw invalid(`${field}/${i}`, 'must be a string');
      const hash = hashString(element);
      if (!hash) throw invalid(`${field}/${i}`, unstorableProblem(element));
      hashes.set(hash, i * WORD);
    }
    word.set(keccak256(hashes), offset);
  };
}

/** Unsigned integers up to 64 bits: JSON numbers must be safe integers (larger ones have already lost precision). */
function uintEncoder(field: string, bits: number): FieldEncoder {
  const max = (1n << BigInt(bits)) - 1n;
  const maxNumber = Math.min(Number(max), Number.MAX_SAFE_INTEGER);
  return (word, offset, value) => {
    let high: number;
    let low: number;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0 || value > maxNumber)
        throw invalid(field, `must be an integer in uint${bits} range (at most ${maxNumber})`);
      high = Math.floor(value / 0x1_0000_0000);
      low = value >>> 0;
    } else if (typeof value === 'bigint') {
      if (value < 0n || value > max) throw invalid(field, `out of range for uint${bits}`);
      high = Number(value >> 32n);
      low = Number(value & 0xffff_ffffn);
    } else {
      throw invalid(field, `must be an integer (uint${bits})`);
    }
    word.fill(0, offset, offset + 24);
    for (let i = 0; i < 4; i++) {
      word[offset + 27 - i] = (high >>> (8 * i)) & 0xff;
      word[offset + 31 - i] = (low >>> (8 * i)) & 0xff;
    }
  };
}

/** An array of atomic values (address[], uint16[]): keccak256 of their encodeData words, concatenated. */
function atomicArrayEncoder(field: string, elementType: string): FieldEncoder {
  const element = (index: number) => encoderFor(`${field}/${index}`, elementType);
  const elementEncoder = encoderFor(field, elementType);
  return (word, offset, value) => {
    if (!Array.isArray(value)) throw invalid(field, `must be an array (${elementType}[])`);
    const words = new Uint8Array(value.length * WORD);
    for (let i = 0; i < value.length; i++) {
      try {
        elementEncoder(words, i * WORD, value[i]);
      } catch {
        // Encoded again with the element's own path, so the error names it.
        element(i)(words, i * WORD, value[i]);
      }
    }
    word.set(keccak256(words), offset);
  };
}

function encoderFor(field: string, type: string): FieldEncoder {
  switch (type) {
    case 'address':
      return addressEncoder(field);
    case 'bytes32':
      return bytes32Encoder(field);
    case 'string':
      return stringEncoder(field);
    case 'string[]':
      return stringArrayEncoder(field);
    default: {
      const uint = /^uint(\d+)$/.exec(type);
      if (uint && Number(uint[1]) <= 64) return uintEncoder(field, Number(uint[1]));
      const array = /^(address|uint\d+)\[\]$/.exec(type);
      if (array) return atomicArrayEncoder(field, array[1]!);
      // A new field type in types.ts needs an encoder here (and a test against ethers).
      throw new Error(`digest.ts has no encoder for EIP-712 type ${type}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Type hashes and struct hashing
// ---------------------------------------------------------------------------------------------

/** encodeType for a struct without struct-typed members: `Name(type1 name1,type2 name2)`. */
function encodeType(name: string, fields: readonly { name: string; type: string }[]): string {
  return `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`;
}

interface StructHasher {
  /** keccak256(typeHash ‖ encodeData(message)). */
  hash(message: unknown): Uint8Array;
}

function createStructHasher(primaryType: PrimaryType): StructHasher {
  const fields = MESSAGE_TYPES[primaryType];
  const names = fields.map((f) => f.name);
  const encoders = fields.map((f) => encoderFor(f.name, f.type));
  // One buffer per primary type, reused: keccak256 consumes it synchronously before we return.
  const buffer = new Uint8Array(WORD * (fields.length + 1));
  buffer.set(keccak256(utf8(encodeType(primaryType, fields))), 0);
  return {
    hash(message) {
      if (typeof message !== 'object' || message === null) throw new InvalidInputError('INVALID_MESSAGE', 'message must be an object');
      const record = message as Record<string, unknown>;
      for (let i = 0; i < encoders.length; i++) encoders[i]!(buffer, WORD * (i + 1), record[names[i]!]);
      return keccak256(buffer);
    },
  };
}

// A Map, not an object: a primaryType such as "constructor" must not find Object.prototype members.
const structHashers = new Map<string, StructHasher>((Object.keys(MESSAGE_TYPES) as PrimaryType[]).map((type) => [type, createStructHasher(type)]));

/** hashStruct(EIP712Domain, domain) for our four-field domain. */
export function hashDomain(domain: Eip712Domain): Uint8Array {
  const buffer = new Uint8Array(WORD * 5);
  buffer.set(keccak256(utf8(encodeType('EIP712Domain', EIP712_DOMAIN_TYPE))), 0);
  buffer.set(keccak256(utf8(domain.name)), WORD);
  buffer.set(keccak256(utf8(domain.version)), WORD * 2);
  let chainId = BigInt(domain.chainId);
  // The server's own domain (from config): a bad value is a configuration error, not a client error.
  if (chainId < 0n || chainId >= 1n << 256n) throw new RangeError('domain chainId out of uint256 range');
  for (let i = WORD * 4 - 1; i >= WORD * 3; i--, chainId >>= 8n) buffer[i] = Number(chainId & 0xffn);
  if (!writeHex(buffer, WORD * 4, domain.salt, 32)) throw new RangeError('domain salt must be bytes32 (0x + 64 hex digits)');
  return keccak256(buffer);
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface Digester {
  readonly domain: Eip712Domain;
  /** The domain separator as 0x hex. */
  readonly domainSeparator: string;
  /** The EIP-712 digest (what the wallet signs) as 0x-prefixed lowercase hex. */
  digest<P extends PrimaryType>(primaryType: P, message: MessageByType[P]): string;
  /** The same digest as 32 bytes: what signature recovery consumes, without a hex round trip. */
  digestBytes<P extends PrimaryType>(primaryType: P, message: MessageByType[P]): Uint8Array;
}

function buildDigester(domain: Eip712Domain): Digester {
  // keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash); only the last 32 bytes change per message.
  const separator = hashDomain(domain);
  const prefixed = new Uint8Array(2 + WORD * 2);
  prefixed[0] = 0x19;
  prefixed[1] = 0x01;
  prefixed.set(separator, 2);
  const digestBytes = (primaryType: PrimaryType, message: unknown): Uint8Array => {
    const hasher = structHashers.get(primaryType);
    if (!hasher) throw new InvalidInputError('UNKNOWN_TYPE', `unknown primaryType ${String(primaryType)}`);
    prefixed.set(hasher.hash(message), 2 + WORD);
    return keccak256(prefixed);
  };
  return {
    domain: { ...domain },
    domainSeparator: bytesToHex(separator),
    digestBytes,
    digest: (primaryType, message) => bytesToHex(digestBytes(primaryType, message)),
  };
}

const digesters = new Map<string, Digester>();

/** Returns the digester for a domain; digesters (and their domain separators) are cached per domain. */
export function createDigester(domain: Eip712Domain): Digester {
  const key = `${domain.name}\u0000${domain.version}\u0000${domain.chainId}\u0000${domain.salt.toLowerCase()}`;
  let digester = digesters.get(key);
  if (!digester) {
    digester = buildDigester(domain);
    digesters.set(key, digester);
  }
  return digester;
}
