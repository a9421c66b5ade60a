/**
 * Parses and validates a submitted signed message (Snapshot-style envelope):
 *
 *   { address, sig, data: { domain, types, primaryType, message } }
 *
 * Every check fails with its own machine-readable code, so a client can tell a wrong chain from
 * a wrong type definition from a bad field. The signature itself is verified elsewhere
 * (signature.ts); this file only proves the envelope describes exactly one of our messages, for
 * our domain, claimed by the address that signs it, and computes the digest to verify.
 *
 * The TypeBox schemas are exported so the HTTP layer can publish them in OpenAPI.
 */
import { Type, type TProperties, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validator } from 'typebox/compile';
import { InvalidInputError, SignatureError } from '../../core/errors.js';
import { createDigester, hexToBytes, bytesToHex, type Digester } from './digest.js';
import { EIP712_DOMAIN_TYPE, MESSAGE_TYPES, PRIMARY_TYPES, type Eip712Domain, type MessageByType, type PrimaryType } from './types.js';

/** Error codes thrown by EnvelopeParser.parse. */
export const ENVELOPE_ERROR = {
  /** Not an object, a required field missing or malformed, or an unexpected field (400). */
  INVALID_ENVELOPE: 'INVALID_ENVELOPE',
  /** data.primaryType is not one of ours (400). */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** data.types differs from our canonical definition of that primary type (400). */
  TYPES_MISMATCH: 'TYPES_MISMATCH',
  /** data.domain is not this deployment's domain (400). */
  WRONG_DOMAIN: 'WRONG_DOMAIN',
  /** data.domain.chainId is not this deployment's chain (400). */
  WRONG_CHAIN_ID: 'WRONG_CHAIN_ID',
  /** data.message does not match its schema; details.path names the field (400). */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** The envelope's address is not message.from (400). Distinct from the verifier's SIGNER_MISMATCH (401). */
  ADDRESS_MISMATCH: 'ADDRESS_MISMATCH',
  /** sig is not 0x-prefixed hex of whole bytes (401, the same code signature.ts uses). */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
} as const;

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const ADDRESS_REGEX = '^0x[0-9a-fA-F]{40}$';
const BYTES32_REGEX = '^0x[0-9a-fA-F]{64}$';

const address = (description = 'address: 0x + 40 hex digits (any case)') => Type.String({ pattern: ADDRESS_REGEX, description });
const bytes32 = (description = 'bytes32: 0x + 64 hex digits') => Type.String({ pattern: BYTES32_REGEX, description });
/** uint64 as a JSON number, capped at 2^53-1: larger JSON numbers have already lost precision. */
const uint64 = (description = 'uint64 as a JSON integer (at most 2^53-1)') => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });

export const AddressSchema = address();
export const Bytes32Schema = bytes32();
export const Uint64Schema = uint64();
export const HexBytesSchema = Type.String({ pattern: '^0x([0-9a-fA-F]{2})*$', description: '0x-prefixed hex bytes' });

const from = address('the signer');
const space = Type.String({ description: 'space id' });
const timestamp = uint64('unix seconds when signed');
const proposal = bytes32('proposal id (the digest of the signed Proposal message)');

export const SpaceMessageSchema = Type.Object(
  { from, space, timestamp, settings: Type.String({ description: 'space settings as JSON' }) },
  { additionalProperties: false },
);

export const ProposalMessageSchema = Type.Object(
  {
    from,
    space,
    timestamp,
    title: Type.String(),
    body: Type.String(),
    discussion: Type.String({ description: 'link to the discussion, or empty' }),
    choices: Type.Array(Type.String()),
    votingType: Type.String({ description: 'basic, single-choice, approval, ranked-choice, weighted or quadratic' }),
    snapshot: uint64('block number voting power is read at'),
    execution: Type.String({ description: 'execution settings as JSON, or empty for a signal proposal' }),
    payloadHash: bytes32('keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas)), zero for signal proposals'),
    idea: Type.String({ description: 'id of the Discord idea this proposal promotes (GET /api/ideas/{id}), or empty' }),
    kind: Type.String({ description: 'the space\'s proposal kind whose rules apply ("default" in a space that declares no kinds)' }),
  },
  { additionalProperties: false },
);

export const VoteMessageSchema = Type.Object(
  {
    from,
    space,
    proposal,
    stage: Type.Integer({ minimum: 0, maximum: 255, description: 'uint8: 1 = temperature check, 2 = consensus check' }),
    timestamp,
    choice: Type.String({ description: 'JSON choice: 1, [1,3], [2,1,3] or {"1":2,"3":1} by voting type' }),
    reason: Type.String(),
  },
  { additionalProperties: false },
);

export const ProposalActionMessageSchema = Type.Object({ from, space, proposal, timestamp }, { additionalProperties: false });

export const VetoMessageSchema = Type.Object(
  { from, space, proposal, timestamp, reason: Type.String({ description: 'why the council member vetoes (published with the veto)' }) },
  { additionalProperties: false },
);

export const LinkDiscordMessageSchema = Type.Object(
  {
    from,
    discordUserId: Type.String({ description: 'the Discord user id (snowflake) to link the wallet to' }),
    nonce: Type.String({ description: 'the one-time token of the /link URL' }),
    expiry: uint64('unix seconds after which the signature is refused'),
  },
  { additionalProperties: false },
);

/** The scope of a delegation: a space id, or "" for every space. */
const delegationScope = Type.String({ description: 'space id, or "" for every space' });

export const DelegateMessageSchema = Type.Object(
  {
    from,
    space: delegationScope,
    timestamp,
    delegates: Type.Array(address('a delegate'), { maxItems: 256, description: 'the delegates (at most 20 are accepted: TOO_MANY_DELEGATES)' }),
    shares: Type.Array(Type.Integer({ minimum: 0, maximum: 65_535, description: 'uint16 basis points' }), {
      maxItems: 256,
      description: "each delegate's share in basis points (1 to 10,000), in the order of delegates; they sum to at most 10,000",
    }),
    expiry: uint64('unix seconds after which the delegation no longer counts; 0 = never'),
  },
  { additionalProperties: false },
);

export const UndelegateMessageSchema = Type.Object({ from, space: delegationScope, timestamp }, { additionalProperties: false });

export const DelegateStatementMessageSchema = Type.Object(
  {
    from,
    space,
    timestamp,
    statement: Type.String({ description: 'why to delegate to the signer (at most 5,000 characters)' }),
    links: Type.Array(Type.String(), { maxItems: 64, description: 'http(s) links (at most 5), e.g. a forum thread' }),
  },
  { additionalProperties: false },
);

export const SubscribeMessageSchema = Type.Object(
  {
    from,
    space,
    timestamp,
    emailHash: bytes32("keccak256(abi.encode(string email, bytes32 emailSalt)); the address and salt travel unsigned in the envelope's `email` field"),
    events: Type.Array(Type.String(), {
      description: 'what to be told about: "proposal" (new proposal), "closing" (closes soon and you have not voted), "results"',
    }),
    closingHours: Type.Integer({ minimum: 0, maximum: 65535, description: 'uint16: the closing reminder comes this many hours before a stage closes; 0 = 24' }),
  },
  { additionalProperties: false },
);

export const UnsubscribeMessageSchema = Type.Object({ from, space, timestamp }, { additionalProperties: false });

export const MESSAGE_SCHEMAS = {
  Space: SpaceMessageSchema,
  Proposal: ProposalMessageSchema,
  Vote: VoteMessageSchema,
  CancelProposal: ProposalActionMessageSchema,
  AdvanceProposal: ProposalActionMessageSchema,
  Veto: VetoMessageSchema,
  LinkDiscord: LinkDiscordMessageSchema,
  Delegate: DelegateMessageSchema,
  Undelegate: UndelegateMessageSchema,
  DelegateStatement: DelegateStatementMessageSchema,
  Subscribe: SubscribeMessageSchema,
  Unsubscribe: UnsubscribeMessageSchema,
} as const satisfies Record<PrimaryType, TSchema>;

// The schemas are written out for readable OpenAPI; this keeps them in step with types.ts.
for (const type of PRIMARY_TYPES) {
  const schemaFields = Object.keys(MESSAGE_SCHEMAS[type].properties).sort().join(',');
  const typeFields = MESSAGE_TYPES[type]
    .map((f) => f.name)
    .sort()
    .join(',');
  if (schemaFields !== typeFields) throw new Error(`envelope.ts: ${type} schema fields (${schemaFields}) differ from types.ts (${typeFields})`);
}

export const DomainSchema = Type.Object(
  {
    name: Type.String(),
    version: Type.String(),
    chainId: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(0x[0-9a-fA-F]+|[0-9]+)$' })]),
    salt: Bytes32Schema,
  },
  { additionalProperties: false },
);

const TypeEntriesSchema = Type.Array(Type.Object({ name: Type.String(), type: Type.String() }, { additionalProperties: false }));

/** The envelope as published in OpenAPI (the parser checks the same rules, one code per rule). */
export function envelopeSchema(extraFields: TProperties = {}) {
  return Type.Object(
    {
      address: AddressSchema,
      sig: HexBytesSchema,
      data: Type.Object(
        {
          domain: DomainSchema,
          types: Type.Record(Type.String(), TypeEntriesSchema),
          primaryType: Type.Union(PRIMARY_TYPES.map((type) => Type.Literal(type))),
          message: Type.Union(PRIMARY_TYPES.map((type) => MESSAGE_SCHEMAS[type])),
        },
        { additionalProperties: false },
      ),
      ...extraFields,
    },
    { additionalProperties: false },
  );
}

// ---------------------------------------------------------------------------------------------
// Parsed result
// ---------------------------------------------------------------------------------------------

export interface ParsedEnvelopeOf<P extends PrimaryType> {
  primaryType: P;
  message: MessageByType[P];
  /** message.from, lowercase. */
  from: string;
  /** sig, lowercase hex. */
  signature: string;
  /** The EIP-712 digest (the message id), 0x hex. */
  digest: string;
  /** The same digest as bytes, for recovery without a hex round trip. */
  digestBytes: Uint8Array;
  /** The signature as bytes. */
  signatureBytes: Uint8Array;
  /** Caller-listed extra top-level fields that were present (not validated here). */
  extra: Record<string, unknown>;
}

export type ParsedEnvelope = { [P in PrimaryType]: ParsedEnvelopeOf<P> }[PrimaryType];

export interface EnvelopeParserOptions {
  /** This deployment's domain: anything else is WRONG_DOMAIN / WRONG_CHAIN_ID. */
  domain: Eip712Domain;
  /** Top-level fields allowed besides address, sig and data (e.g. "payload"). */
  extraFields?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

const ENVELOPE_FIELDS = ['address', 'sig', 'data'] as const;
const DATA_FIELDS = ['domain', 'types', 'primaryType', 'message'] as const;
const DOMAIN_FIELDS = EIP712_DOMAIN_TYPE.map((f) => f.name);
const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function invalidEnvelope(message: string, path: string): InvalidInputError {
  return new InvalidInputError(ENVELOPE_ERROR.INVALID_ENVELOPE, message, { details: { path } });
}

/** True iff `actual` is exactly the list of {name, type} entries in `expected` (same order, no extra keys). */
function sameTypeEntries(actual: unknown, expected: readonly { name: string; type: string }[]): boolean {
  if (!Array.isArray(actual) || actual.length !== expected.length) return false;
  return expected.every((entry, i) => {
    const candidate: unknown = actual[i];
    return isPlainObject(candidate) && Object.keys(candidate).length === 2 && candidate.name === entry.name && candidate.type === entry.type;
  });
}

/** Parses a JSON chainId (number, decimal string or 0x hex string) or returns null. */
function parseChainId(value: unknown): bigint | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(value)) return BigInt(value);
  return null;
}

interface ValidationIssue {
  path: string;
  message: string;
}

/** Turns TypeBox errors into `/message/...` paths with readable messages, most specific first. */
function describeMessageErrors(validator: Validator, message: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of validator.Errors(message)) {
    const path = `/message${error.instancePath}`;
    const params = error.params as { additionalProperties?: string[]; requiredProperties?: string[] };
    if (error.keyword === 'boolean') continue; // duplicate of the additionalProperties error
    if (error.keyword === 'additionalProperties') {
      issues.push({ path: `${path}/${params.additionalProperties?.[0] ?? ''}`, message: `unexpected field(s) ${params.additionalProperties?.join(', ')}` });
    } else if (error.keyword === 'required') {
      issues.push({ path: `${path}/${params.requiredProperties?.[0] ?? ''}`, message: `missing field(s) ${params.requiredProperties?.join(', ')}` });
    } else {
      issues.push({ path, message: error.message });
    }
  }
  return issues.length > 0 ? issues : [{ path: '/message', message: 'invalid message' }];
}

export class EnvelopeParser {
  readonly domain: Eip712Domain;
  private readonly digester: Digester;
  private readonly allowedTopLevel: Set<string>;
  private readonly extraFields: readonly string[];
  private readonly expectedChainId: bigint;
  private readonly validators = Object.fromEntries(PRIMARY_TYPES.map((type) => [type, Compile(MESSAGE_SCHEMAS[type])])) as unknown as Record<
    PrimaryType,
    Validator
  >;

  constructor(options: EnvelopeParserOptions) {
    this.domain = { ...options.domain, salt: options.domain.salt.toLowerCase() };
    this.digester = createDigester(this.domain);
    this.extraFields = [...(options.extraFields ?? [])];
    this.allowedTopLevel = new Set([...ENVELOPE_FIELDS, ...this.extraFields]);
    this.expectedChainId = BigInt(this.domain.chainId);
  }

  /** Validates an envelope and returns the typed message with its digest, or throws (codes in ENVELOPE_ERROR). */
  parse(input: unknown): ParsedEnvelope {
    if (!isPlainObject(input)) throw invalidEnvelope('envelope must be a JSON object', '');
    for (const key of Object.keys(input)) {
      if (!this.allowedTopLevel.has(key)) throw invalidEnvelope(`unexpected field ${key}`, `/${key}`);
    }
    for (const key of ENVELOPE_FIELDS) {
      if (!has(input, key)) throw invalidEnvelope(`missing field ${key}`, `/${key}`);
    }
    const { address, sig, data } = input;
    if (typeof address !== 'string' || !ADDRESS_PATTERN.test(address)) throw invalidEnvelope('address must be 0x + 40 hex digits', '/address');
    if (typeof sig !== 'string') throw invalidEnvelope('sig must be a hex string', '/sig');
    const signatureBytes = hexToBytes(sig);
    if (!signatureBytes) throw new SignatureError(ENVELOPE_ERROR.BAD_SIGNATURE, 'sig must be 0x-prefixed hex of whole bytes');

    if (!isPlainObject(data)) throw invalidEnvelope('data must be an object', '/data');
    for (const key of Object.keys(data)) {
      if (!(DATA_FIELDS as readonly string[]).includes(key)) throw invalidEnvelope(`unexpected field data.${key}`, `/data/${key}`);
    }
    for (const key of DATA_FIELDS) {
      if (!has(data, key)) throw invalidEnvelope(`missing field data.${key}`, `/data/${key}`);
    }

    const primaryType = this.checkPrimaryType(data.primaryType);
    this.checkTypes(primaryType, data.types);
    this.checkDomain(data.domain);
    const message = this.checkMessage(primaryType, data.message);

    if (address.toLowerCase() !== message.from.toLowerCase()) {
      throw new InvalidInputError(ENVELOPE_ERROR.ADDRESS_MISMATCH, 'address must equal message.from', {
        details: { address, from: message.from },
      });
    }

    const extra: Record<string, unknown> = {};
    for (const key of this.extraFields) if (has(input, key)) extra[key] = input[key];

    const digestBytes = this.digester.digestBytes(primaryType, message);
    return {
      primaryType,
      message,
      from: message.from.toLowerCase(),
      signature: sig.toLowerCase(),
      digest: bytesToHex(digestBytes),
      digestBytes,
      signatureBytes,
      extra,
    } as ParsedEnvelope;
  }

  private checkPrimaryType(value: unknown): PrimaryType {
    if (typeof value !== 'string' || !has(MESSAGE_TYPES, value)) {
      throw new InvalidInputError(ENVELOPE_ERROR.UNKNOWN_TYPE, `unknown primaryType ${JSON.stringify(value)}; expected one of ${PRIMARY_TYPES.join(', ')}`, {
        details: { path: '/data/primaryType' },
      });
    }
    return value as PrimaryType;
  }

  private checkTypes(primaryType: PrimaryType, types: unknown): void {
    const mismatch = (problem: string, path = '/data/types') =>
      new InvalidInputError(ENVELOPE_ERROR.TYPES_MISMATCH, `types: ${problem}`, { details: { path } });
    if (!isPlainObject(types)) throw mismatch('must be an object');
    for (const key of Object.keys(types)) {
      if (key !== primaryType && key !== 'EIP712Domain') throw mismatch(`unexpected type ${key}`, `/data/types/${key}`);
    }
    if (!has(types, primaryType)) throw mismatch(`missing the ${primaryType} definition`, `/data/types/${primaryType}`);
    if (!sameTypeEntries(types[primaryType], MESSAGE_TYPES[primaryType])) {
      throw mismatch(`${primaryType} is not the canonical definition (fields, types and order must match)`, `/data/types/${primaryType}`);
    }
    if (has(types, 'EIP712Domain') && !sameTypeEntries(types.EIP712Domain, EIP712_DOMAIN_TYPE)) {
      throw mismatch('EIP712Domain must be name, version, chainId, salt', '/data/types/EIP712Domain');
    }
  }

  private checkDomain(domain: unknown): void {
    const wrong = (problem: string, path = '/data/domain') =>
      new InvalidInputError(ENVELOPE_ERROR.WRONG_DOMAIN, `domain: ${problem}`, { details: { path, expected: this.domain } });
    if (!isPlainObject(domain)) throw wrong('must be an object');
    for (const key of Object.keys(domain)) {
      if (!DOMAIN_FIELDS.includes(key as (typeof DOMAIN_FIELDS)[number])) throw wrong(`unexpected field ${key}`, `/data/domain/${key}`);
    }
    for (const key of DOMAIN_FIELDS) {
      if (!has(domain, key)) throw wrong(`missing field ${key}`, `/data/domain/${key}`);
    }
    if (parseChainId(domain.chainId) !== this.expectedChainId) {
      throw new InvalidInputError(ENVELOPE_ERROR.WRONG_CHAIN_ID, `domain.chainId must be ${this.domain.chainId}`, {
        details: { path: '/data/domain/chainId', expected: this.domain.chainId, got: domain.chainId },
      });
    }
    if (domain.name !== this.domain.name) throw wrong(`name must be ${JSON.stringify(this.domain.name)}`, '/data/domain/name');
    if (domain.version !== this.domain.version) throw wrong(`version must be ${JSON.stringify(this.domain.version)}`, '/data/domain/version');
    if (typeof domain.salt !== 'string' || domain.salt.toLowerCase() !== this.domain.salt) {
      throw wrong("salt is not this deployment's salt", '/data/domain/salt');
    }
  }

  private checkMessage<P extends PrimaryType>(primaryType: P, message: unknown): MessageByType[P] {
    const validator = this.validators[primaryType];
    if (validator.Check(message)) return message as MessageByType[P];
    const issues = describeMessageErrors(validator, message);
    const first = issues[0]!;
    throw new InvalidInputError(ENVELOPE_ERROR.INVALID_MESSAGE, `${first.path}: ${first.message}`, {
      details: { path: first.path, errors: issues },
    });
  }
}

const parsers = new Map<string, EnvelopeParser>();

/**
 * Same as `new EnvelopeParser(options).parse(input)`, with the parser (its compiled validators
 * and digester) cached per domain and extra-field list.
 */
export function parseEnvelope(input: unknown, options: EnvelopeParserOptions): ParsedEnvelope {
  const { name, version, chainId, salt } = options.domain;
  const key = JSON.stringify([name, version, chainId, salt.toLowerCase(), options.extraFields ?? []]);
  let parser = parsers.get(key);
  if (!parser) {
    parser = new EnvelopeParser(options);
    parsers.set(key, parser);
  }
  return parser.parse(input);
}
