/**
 * EIP-712 digests, envelope validation and signature verification (EOA, EIP-1271, ERC-6492)
 * against ethers, @metamask/eth-sig-util, stored fixtures and contract wallets on a local node.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import secp256k1 from 'secp256k1';
import { SignTypedDataVersion, signTypedData, type MessageTypes, type TypedMessage } from '@metamask/eth-sig-util';
import {
  AbiCoder,
  Contract,
  JsonRpcProvider,
  Signature,
  TypedDataEncoder,
  Wallet,
  computeAddress,
  concat,
  getAddress,
  hexlify,
  id,
  type TypedDataField,
} from 'ethers';
import { startLocalChain, deployContract, mineBlocks, freePort } from '../scripts/local-chain.js';
import { AppError } from '../core/errors.js';
import { createDigester, hexToBytes } from '../server/eip712/digest.js';
import { EnvelopeParser, parseEnvelope } from '../server/eip712/envelope.js';
import { ERC6492_SUFFIX, SignatureVerifier, recoverEoa } from '../server/eip712/signature.js';
import { keccak256, keccak256Noble, keccakImplementation } from '../server/eip712/keccak.js';
import {
  MESSAGE_TYPES,
  PRIMARY_TYPES,
  buildDomain,
  typesFor,
  type Eip712Domain,
  type MessageByType,
  type PrimaryType,
} from '../server/eip712/types.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const SALT = id('govrelay signatures test');
const DOMAIN = buildDomain(31337, SALT);
const digester = createDigester(DOMAIN);
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function ethersTypes(primaryType: PrimaryType): Record<string, TypedDataField[]> {
  return { [primaryType]: MESSAGE_TYPES[primaryType].map((field) => ({ ...field })) };
}

/** mulberry32: a seeded PRNG, so a failing random case can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(0x712);
const int = (max: number) => Math.floor(random() * max);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const CODE_POINT_POOLS: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x01, 0x1f], // control characters (NUL cannot be stored and is refused: see below)
  [0xa0, 0x17f], // Latin-1, Latin Extended-A
  [0x300, 0x36f], // combining marks
  [0x4e00, 0x9fff], // CJK
  [0x1f300, 0x1faff], // emoji (surrogate pairs in UTF-16)
  [0x200d, 0x200d], // zero-width joiner
];

function randomString(): string {
  const length = random() < 0.15 ? 0 : random() < 0.1 ? 100 + int(400) : int(24);
  let text = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = pick(CODE_POINT_POOLS);
    text += String.fromCodePoint(low + int(high - low + 1));
  }
  return text;
}

function randomHex(bytes: number): string {
  let hex = '0x';
  for (let i = 0; i < bytes; i++) hex += int(256).toString(16).padStart(2, '0');
  return hex;
}

function randomAddress(): string {
  const lower = randomHex(20);
  return pick([lower, getAddress(lower), `0x${lower.slice(2).toUpperCase()}`]);
}

function randomUint64(): number {
  return pick([0, 1, Number.MAX_SAFE_INTEGER, int(2 ** 32), Math.floor(random() * Number.MAX_SAFE_INTEGER)]);
}

function randomMessage(primaryType: PrimaryType): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const { name, type } of MESSAGE_TYPES[primaryType]) {
    switch (type) {
      case 'address':
        message[name] = randomAddress();
        break;
      case 'bytes32':
        message[name] = randomHex(32);
        break;
      case 'string':
        message[name] = randomString();
        break;
      case 'string[]':
        message[name] = Array.from({ length: pick([0, 0, 1, 2, 5]) }, randomString);
        break;
      case 'uint8':
        message[name] = int(256);
        break;
      case 'uint64':
        message[name] = randomUint64();
        break;
      default:
        throw new Error(`test has no generator for ${type}`);
    }
  }
  return message;
}

function sampleVote(from: string, overrides: Partial<MessageByType['Vote']> = {}): MessageByType['Vote'] {
  return {
    from,
    space: 'braintrust',
    proposal: id('proposal-1'),
    stage: 1,
    timestamp: 1_735_689_800,
    choice: '[1,3]',
    reason: 'approve both',
    ...overrides,
  };
}

function envelopeFor(primaryType: PrimaryType, message: object, sig: string, domain: Eip712Domain = DOMAIN) {
  return {
    address: (message as { from: string }).from,
    sig,
    data: { domain, types: typesFor(primaryType), primaryType, message },
  };
}

async function signWith(wallet: Wallet, primaryType: PrimaryType, message: object, domain: Eip712Domain = DOMAIN) {
  return wallet.signTypedData(domain, ethersTypes(primaryType), message as Record<string, unknown>);
}

/** Asserts that `promiseOrFn` throws an AppError with this code (and returns it for more checks). */
/** The type of a tap subtest's `t` (tap does not export it under a short name). */
type TestContext = Parameters<Parameters<typeof t.test>[0]>[0];

async function expectCode(t: TestContext, code: string, promiseOrFn: Promise<unknown> | (() => unknown), note = '') {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    t.type(error, AppError, `throws an AppError for ${code}`);
    t.equal((error as AppError).code, code, `${note ? `${note}: ` : ''}${code}: ${(error as Error).message}`);
    return error as AppError;
  }
  t.fail(`${note ? `${note}: ` : ''}expected ${code}, nothing was thrown`);
  return undefined;
}


// ---------------------------------------------------------------------------------------------
// The chain (real hardhat node), shared by this file's tests
// ---------------------------------------------------------------------------------------------

const chain = await startLocalChain();
t.teardown(() => chain.stop());
const verifier = new SignatureVerifier({ provider: chain.provider });
const [, alice, bob, carol] = chain.wallets as [Wallet, Wallet, Wallet, Wallet];

// ---------------------------------------------------------------------------------------------
// Digests
// ---------------------------------------------------------------------------------------------

t.test('domain separator equals ethers for several domains', async (t) => {
  for (const domain of [DOMAIN, buildDomain(1, `0x${'00'.repeat(32)}`), buildDomain(8453, randomHex(32).toUpperCase().replace('0X', '0x'))]) {
    t.equal(createDigester(domain).domainSeparator, TypedDataEncoder.hashDomain(domain));
  }
  t.equal(createDigester(DOMAIN), digester, 'digesters are cached per domain');
});

t.test('digest equals ethers TypedDataEncoder.hash on random messages of every type', async (t) => {
  for (const primaryType of PRIMARY_TYPES) {
    let mismatches = 0;
    for (let i = 0; i < 150; i++) {
      const message = randomMessage(primaryType);
      const ours = digester.digest(primaryType, message as never);
      const theirs = TypedDataEncoder.hash(DOMAIN, ethersTypes(primaryType), message);
      if (ours !== theirs) {
        mismatches++;
        t.equal(ours, theirs, `${primaryType} ${JSON.stringify(message)}`);
      }
      t.same(digester.digestBytes(primaryType, message as never), hexToBytes(ours), 'digestBytes matches digest');
    }
    t.equal(mismatches, 0, `${primaryType}: 150 random messages match ethers`);
  }
});

t.test('digest edge cases: empty strings and arrays, integer limits, case of hex', async (t) => {
  const proposal: MessageByType['Proposal'] = {
    from: `0x${'ab'.repeat(20)}`,
    space: '',
    timestamp: Number.MAX_SAFE_INTEGER,
    title: '',
    body: '',
    discussion: '',
    choices: [],
    votingType: '',
    snapshot: 0,
    execution: '',
    payloadHash: `0x${'00'.repeat(32)}`,
    idea: '',
  };
  t.equal(digester.digest('Proposal', proposal), TypedDataEncoder.hash(DOMAIN, ethersTypes('Proposal'), proposal));
  const withEmptyChoice = { ...proposal, choices: [''] };
  t.not(digester.digest('Proposal', withEmptyChoice), digester.digest('Proposal', proposal), '[""] differs from []');
  t.equal(digester.digest('Proposal', withEmptyChoice), TypedDataEncoder.hash(DOMAIN, ethersTypes('Proposal'), withEmptyChoice));
  const upper = { ...proposal, from: proposal.from.toUpperCase().replace('0X', '0x'), payloadHash: `0x${'AB'.repeat(32)}` };
  const lower = { ...upper, from: upper.from.toLowerCase(), payloadHash: upper.payloadHash.toLowerCase() };
  t.equal(digester.digest('Proposal', upper), digester.digest('Proposal', lower), 'hex case does not change the digest');
  const vote = sampleVote(`0x${'cd'.repeat(20)}`, { stage: 255, timestamp: 0 });
  t.equal(digester.digest('Vote', vote), TypedDataEncoder.hash(DOMAIN, ethersTypes('Vote'), vote));
});

t.test('digest refuses values ethers would refuse', async (t) => {
  const vote = sampleVote(`0x${'cd'.repeat(20)}`);
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, stage: 256 }));
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, timestamp: 1.5 }));
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, timestamp: 2 ** 60 }));
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, proposal: '0x1234' }));
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, from: `0x${'zz'.repeat(20)}` }));
  await expectCode(t, 'INVALID_MESSAGE', () => digester.digest('Vote', { ...vote, reason: 'lone \ud800 surrogate' }));
  t.throws(() => TypedDataEncoder.hash(DOMAIN, ethersTypes('Vote'), { ...vote, reason: 'lone \ud800 surrogate' }), 'ethers refuses it too');
  await expectCode(t, 'UNKNOWN_TYPE', () => digester.digest('constructor' as PrimaryType, vote as never));
});

t.test('digest refuses a string that could be signed but not stored: a NUL character', async (t) => {
  const vote = sampleVote(`0x${'cd'.repeat(20)}`);
  t.throws(() => digester.digest('Vote', { ...vote, reason: 'a\u0000b' }), { code: 'INVALID_MESSAGE', message: /reason: contains a NUL character/ });
  t.throws(() => digester.digest('Vote', { ...vote, reason: '\u0000' }), { code: 'INVALID_MESSAGE' }, 'also as a short (cached) string');
  t.ok(digester.digest('Vote', { ...vote, reason: 'a\\u0000b' }), 'the six characters \\u0000 are an ordinary string');
});

// ---------------------------------------------------------------------------------------------
// Fixtures (generated once by eth-sig-util; see test/fixtures/generate-eip712-fixtures.ts)
// ---------------------------------------------------------------------------------------------

interface Fixtures {
  privateKey: string;
  address: string;
  domain: Eip712Domain;
  messages: { primaryType: PrimaryType; message: Record<string, unknown>; digest: string; signature: string }[];
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/eip712-fixtures.json', import.meta.url), 'utf8')) as Fixtures;

t.test('stored fixtures: digests, signatures and envelopes still verify', async (t) => {
  t.equal(fixtures.messages.length, PRIMARY_TYPES.length, 'one fixture per primary type');
  t.same(new Set(fixtures.messages.map((m) => m.primaryType)), new Set(PRIMARY_TYPES));
  const fixtureDigester = createDigester(fixtures.domain);
  const parser = new EnvelopeParser({ domain: fixtures.domain });
  for (const { primaryType, message, digest, signature } of fixtures.messages) {
    t.equal(fixtureDigester.digest(primaryType, message as never), digest, `${primaryType} digest unchanged`);
    t.same(await verifier.verify(fixtures.address, digest, signature), { kind: 'eoa', block: null }, `${primaryType} signature verifies`);
    const parsed = parser.parse({ address: fixtures.address, sig: signature, data: { domain: fixtures.domain, types: typesFor(primaryType), primaryType, message } });
    t.equal(parsed.digest, digest, `${primaryType} envelope digest`);
    t.equal(parsed.from, fixtures.address.toLowerCase());
    t.equal(recoverEoa(parsed.digestBytes, parsed.signatureBytes), fixtures.address.toLowerCase(), `${primaryType} fast path recovers`);
  }
});

// ---------------------------------------------------------------------------------------------
// EOA signatures
// ---------------------------------------------------------------------------------------------

t.test('signatures from ethers and eth-sig-util V4 verify as EOA', async (t) => {
  for (const primaryType of PRIMARY_TYPES) {
    for (let i = 0; i < 5; i++) {
      const wallet = Wallet.createRandom();
      const message = { ...randomMessage(primaryType), from: wallet.address };
      const digest = digester.digest(primaryType, message as never);

      const byEthers = await signWith(wallet as unknown as Wallet, primaryType, message);
      t.same(await verifier.verify(wallet.address, digest, byEthers), { kind: 'eoa', block: null });

      const data = { domain: DOMAIN, types: typesFor(primaryType), primaryType, message } as unknown as TypedMessage<MessageTypes>;
      const privateKey = Buffer.from(wallet.privateKey.slice(2), 'hex');
      const bySigUtil = signTypedData({ privateKey, data, version: SignTypedDataVersion.V4 });
      t.same(await verifier.verify(wallet.address.toLowerCase(), digest, bySigUtil), { kind: 'eoa', block: null });

      const parsed = parseEnvelope(envelopeFor(primaryType, message, bySigUtil), { domain: DOMAIN });
      t.equal(parsed.digest, digest);
    }
  }
});

t.test('v may be 27/28 or 0/1', async (t) => {
  const message = sampleVote(alice.address);
  const sig = Signature.from(await signWith(alice, 'Vote', message));
  const withZeroOneV = concat([sig.r, sig.s, new Uint8Array([sig.yParity])]);
  t.same(await verifier.verify(alice.address, digester.digest('Vote', message), withZeroOneV), { kind: 'eoa', block: null });
});

t.test('high-s signatures are rejected with HIGH_S', async (t) => {
  const message = sampleVote(alice.address);
  const digest = digester.digest('Vote', message);
  const sig = Signature.from(await signWith(alice, 'Vote', message));
  // The malleable twin: s' = n - s with the other recovery id recovers the same key.
  const highS = SECP256K1_N - BigInt(sig.s);
  const twin = concat([sig.r, `0x${highS.toString(16).padStart(64, '0')}`, new Uint8Array([sig.v === 27 ? 28 : 27])]);
  const twinBytes = hexToBytes(twin)!;
  const twinKey = secp256k1.ecdsaRecover(twinBytes.subarray(0, 64), twinBytes[64]! - 27, hexToBytes(digest)!, false);
  t.equal(computeAddress(hexlify(twinKey)), alice.address, 'the twin is a valid signature by the same key');
  await expectCode(t, 'HIGH_S', verifier.verify(alice.address, digest, twin));
  t.equal(recoverEoa(hexToBytes(digest)!, hexToBytes(twin)!), null, 'the fast path does not accept it either');
});

t.test('a signature by someone else is SIGNER_MISMATCH', async (t) => {
  const message = sampleVote(alice.address);
  const byBob = await signWith(bob, 'Vote', message);
  const error = await expectCode(t, 'SIGNER_MISMATCH', verifier.verify(alice.address, digester.digest('Vote', message), byBob));
  t.equal(error?.statusCode, 401);
  t.equal(error?.details?.recovered, bob.address.toLowerCase());
});

t.test('truncated, garbage and empty signatures are BAD_SIGNATURE', async (t) => {
  const message = sampleVote(alice.address);
  const digest = digester.digest('Vote', message);
  const sig = await signWith(alice, 'Vote', message);
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, sig.slice(0, -2)));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, sig.slice(0, -1)));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, `0x${'zz'.repeat(65)}`));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, 'not hex'));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, '0x'));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, `${sig.slice(0, -2)}05`), 'v = 5');
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, `0x${'00'.repeat(64)}1b`), 'r = s = 0');
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(alice.address, digest, concat([sig, ERC6492_SUFFIX])), 'bad 6492 wrapper');
  t.equal(recoverEoa(hexToBytes(digest)!, hexToBytes(sig)!.subarray(0, 64)), null);
});

t.test('a signature for another chainId, salt or primary type does not verify', async (t) => {
  const action = { from: alice.address, space: 'braintrust', proposal: id('p'), timestamp: 1_735_689_800 };
  const expectedDigest = digester.digest('CancelProposal', action);
  const otherChain = await signWith(alice, 'CancelProposal', action, buildDomain(1, SALT));
  const otherSalt = await signWith(alice, 'CancelProposal', action, buildDomain(31337, id('another deployment')));
  const otherType = await signWith(alice, 'AdvanceProposal', action);
  for (const [what, sig] of [['chainId', otherChain], ['salt', otherSalt], ['primary type', otherType]] as const) {
    await expectCode(t, 'SIGNER_MISMATCH', verifier.verify(alice.address, expectedDigest, sig));
    t.not(recoverEoa(hexToBytes(expectedDigest)!, hexToBytes(sig)!), alice.address.toLowerCase(), `${what}: recovers someone else`);
  }
  t.same(await verifier.verify(alice.address, expectedDigest, await signWith(alice, 'CancelProposal', action)), { kind: 'eoa', block: null });
});

// ---------------------------------------------------------------------------------------------
// Envelope errors
// ---------------------------------------------------------------------------------------------

t.test('envelope: every error code', async (t) => {
  const parser = new EnvelopeParser({ domain: DOMAIN, extraFields: ['payload'] });
  const message = sampleVote(alice.address);
  const sig = await signWith(alice, 'Vote', message);
  const good = () => structuredClone(envelopeFor('Vote', message, sig));
  const parse = (mutate: (e: ReturnType<typeof good> & Record<string, unknown>) => unknown) => () => {
    const envelope = good();
    const replaced = mutate(envelope as never);
    return parser.parse(replaced === undefined ? envelope : replaced);
  };

  const parsed = parser.parse({ ...good(), payload: { targets: [] } });
  t.equal(parsed.primaryType, 'Vote');
  t.equal(parsed.from, alice.address.toLowerCase());
  t.equal(parsed.signature, sig.toLowerCase());
  t.equal(parsed.digest, digester.digest('Vote', message));
  t.same(parsed.extra, { payload: { targets: [] } }, 'listed extra fields are returned');
  if (parsed.primaryType === 'Vote') t.equal(parsed.message.choice, '[1,3]', 'message is typed by primaryType');

  // INVALID_ENVELOPE
  for (const input of [null, 'x', 42, [good()]]) await expectCode(t, 'INVALID_ENVELOPE', () => parser.parse(input));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void delete (e as Partial<typeof e>).sig));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void delete (e as Partial<typeof e>).data));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void (e.extra = 1)));
  await expectCode(t, 'INVALID_ENVELOPE', () => new EnvelopeParser({ domain: DOMAIN }).parse({ ...good(), payload: {} }));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void (e.address = 'alice.eth')));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void (e.sig = 12 as never)));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void ((e.data as Record<string, unknown>).extra = 1)));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void delete (e.data as Partial<typeof e.data>).message));
  await expectCode(t, 'INVALID_ENVELOPE', parse((e) => void (e.data = [] as never)));

  // BAD_SIGNATURE (sig not hex)
  await expectCode(t, 'BAD_SIGNATURE', parse((e) => void (e.sig = '0xabc')));

  // UNKNOWN_TYPE
  for (const primaryType of ['Ballot', '__proto__', 'constructor', 'EIP712Domain', 7]) {
    await expectCode(t, 'UNKNOWN_TYPE', parse((e) => void (e.data.primaryType = primaryType as never)));
  }

  // TYPES_MISMATCH (EIP712Domain may be absent, but must be ours if present)
  const noDomainType = good();
  delete (noDomainType.data.types as Record<string, unknown>).EIP712Domain;
  t.equal(parser.parse(noDomainType).digest, parsed.digest, 'accepted without EIP712Domain');
  const reordered = [...MESSAGE_TYPES.Vote].reverse();
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = { Vote: reordered } as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = { ...typesFor('Vote'), Extra: [] } as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = typesFor('CancelProposal') as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = { ...typesFor('Vote'), EIP712Domain: [{ name: 'name', type: 'string' }] } as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = { Vote: MESSAGE_TYPES.Vote.map((f) => (f.name === 'stage' ? { ...f, type: 'uint256' } : f)) } as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = { Vote: MESSAGE_TYPES.Vote.map((f) => ({ ...f, extra: 1 })) } as never)));
  await expectCode(t, 'TYPES_MISMATCH', parse((e) => void (e.data.types = null as never)));

  // WRONG_DOMAIN and WRONG_CHAIN_ID
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void (e.data.domain.name = 'snapshot')));
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void (e.data.domain.version = '0.1.4')));
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void (e.data.domain.salt = id('other'))));
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void ((e.data.domain as unknown as Record<string, unknown>).verifyingContract = alice.address)));
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void delete (e.data.domain as Partial<Eip712Domain>).salt));
  await expectCode(t, 'WRONG_DOMAIN', parse((e) => void (e.data.domain = 'govrelay' as never)));
  for (const chainId of [1, '1', '0x1', 31337.5, -1, 'abc', null]) {
    await expectCode(t, 'WRONG_CHAIN_ID', parse((e) => void (e.data.domain.chainId = chainId as never)));
  }
  for (const chainId of ['31337', '0x7a69']) {
    t.equal(parse((e) => void (e.data.domain.chainId = chainId as never))().digest, parsed.digest, `chainId ${chainId} accepted`);
  }
  t.equal(parse((e) => void (e.data.domain.salt = SALT.toUpperCase().replace('0X', '0x')))().digest, parsed.digest, 'salt case-insensitive');

  // INVALID_MESSAGE, with the field path
  const invalidMessage = async (mutate: (m: Record<string, unknown>) => void, path: string) => {
    const error = await expectCode(t, 'INVALID_MESSAGE', parse((e) => void mutate(e.data.message as never)));
    t.equal(error?.details?.path, path, `path ${path}`);
  };
  await invalidMessage((m) => void (m.proposal = '0x1234'), '/message/proposal');
  await invalidMessage((m) => void (m.timestamp = 1.5), '/message/timestamp');
  await invalidMessage((m) => void (m.timestamp = -1), '/message/timestamp');
  await invalidMessage((m) => void (m.timestamp = Number.MAX_SAFE_INTEGER + 2), '/message/timestamp');
  await invalidMessage((m) => void (m.timestamp = '1735689800'), '/message/timestamp');
  await invalidMessage((m) => void (m.stage = 256), '/message/stage');
  await invalidMessage((m) => void (m.from = 'alice.eth'), '/message/from');
  await invalidMessage((m) => void (m.reason = 5), '/message/reason');
  await invalidMessage((m) => void (m.extra = 'x'), '/message/extra');
  await invalidMessage((m) => void delete m.choice, '/message/choice');
  await invalidMessage((m) => void (m.reason = 'lone \udc00'), '/message/reason');
  const proposalEnvelope = envelopeFor('Proposal', { ...randomMessage('Proposal'), from: alice.address, choices: ['a', 3] }, sig);
  const choicesError = await expectCode(t, 'INVALID_MESSAGE', () => parser.parse(proposalEnvelope));
  t.equal(choicesError?.details?.path, '/message/choices/1', 'array element path');

  // ADDRESS_MISMATCH: the envelope's address must be message.from
  await expectCode(t, 'ADDRESS_MISMATCH', parse((e) => void (e.address = bob.address)));
  t.equal(parse((e) => void (e.address = e.address.toLowerCase()))().from, alice.address.toLowerCase(), 'address compared case-insensitively');
});

// ---------------------------------------------------------------------------------------------
// Contract wallets on a real node
// ---------------------------------------------------------------------------------------------

t.test('EIP-1271 wallet: accepts its owner, rejects others, follows owner rotation', async (t) => {
  const wallet = await deployContract(alice, 'TestSmartWallet', [bob.address]);
  const walletAddress = await wallet.getAddress();
  await mineBlocks(chain.provider, 5);

  const message = sampleVote(walletAddress);
  const digest = digester.digest('Vote', message);
  const byBob = await signWith(bob, 'Vote', message);
  const byCarol = await signWith(carol, 'Vote', message);

  const accepted = await verifier.verify(walletAddress, digest, byBob);
  t.equal(accepted.kind, 'eip1271');
  t.equal(accepted.block, BigInt(await chain.provider.getBlockNumber()), 'records the block the wallet was asked at');
  await expectCode(t, 'SIGNER_MISMATCH', verifier.verify(walletAddress, digest, byCarol));
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(walletAddress, digest, '0x'));

  const parsed = parseEnvelope(envelopeFor('Vote', message, byBob), { domain: DOMAIN });
  t.equal((await verifier.verify(parsed.from, parsed.digest, parsed.signature)).kind, 'eip1271', 'envelope → verifier');

  // Rotation: the wallet's answer for the same signature changes.
  await (await (wallet.connect(bob) as Contract).getFunction('setOwner')(carol.address)).wait();
  await expectCode(t, 'SIGNER_MISMATCH', verifier.verify(walletAddress, digest, byBob));
  const afterRotation = await verifier.verify(walletAddress, digest, byCarol);
  t.equal(afterRotation.kind, 'eip1271');
  t.ok(afterRotation.block! > accepted.block!, 'a later block is recorded');
  t.equal(afterRotation.block, BigInt(await chain.provider.getBlockNumber()));
});

t.test('ERC-6492: a counterfactual wallet verifies through its factory without being deployed', async (t) => {
  const factory = await deployContract(alice, 'TestWalletFactory');
  const factoryAddress = await factory.getAddress();
  const salt = id('counterfactual wallet');
  const walletAddress = (await factory.getFunction('walletAddress')(bob.address, salt)) as string;
  t.equal(await chain.provider.getCode(walletAddress), '0x', 'not deployed');

  const message = sampleVote(walletAddress);
  const digest = digester.digest('Vote', message);
  const factoryCalldata = factory.interface.encodeFunctionData('deploy', [bob.address, salt]);
  const wrap = (inner: string) =>
    hexlify(concat([AbiCoder.defaultAbiCoder().encode(['address', 'bytes', 'bytes'], [factoryAddress, factoryCalldata, inner]), ERC6492_SUFFIX]));
  const byBob = wrap(await signWith(bob, 'Vote', message));
  const byCarol = wrap(await signWith(carol, 'Vote', message));

  const result = await verifier.verify(walletAddress, digest, byBob);
  t.equal(result.kind, 'eip6492');
  t.equal(result.block, BigInt(await chain.provider.getBlockNumber()));
  t.equal(await chain.provider.getCode(walletAddress), '0x', 'the eth_call deployed nothing');
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(walletAddress, digest, byCarol));

  const brokenFactoryCall = hexlify(
    concat([AbiCoder.defaultAbiCoder().encode(['address', 'bytes', 'bytes'], [factoryAddress, '0xdeadbeef', await signWith(bob, 'Vote', message)]), ERC6492_SUFFIX]),
  );
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(walletAddress, digest, brokenFactoryCall));

  const parsed = parseEnvelope(envelopeFor('Vote', message, byBob), { domain: DOMAIN });
  t.equal((await verifier.verify(parsed.from, parsed.digest, parsed.signature)).kind, 'eip6492', 'envelope → verifier');

  // Once deployed, the wrapped signature still verifies (the factory is skipped) and so does the bare one.
  await (await (factory.connect(alice) as Contract).getFunction('deploy')(bob.address, salt)).wait();
  t.not(await chain.provider.getCode(walletAddress), '0x', 'deployed now');
  t.equal((await verifier.verify(walletAddress, digest, byBob)).kind, 'eip6492');
  t.equal((await verifier.verify(walletAddress, digest, await signWith(bob, 'Vote', message))).kind, 'eip1271');
});

t.test('an RPC failure during a contract check is a retryable RPC_ERROR', async (t) => {
  const deadProvider = new JsonRpcProvider(`http://127.0.0.1:${await freePort()}`, 31337, { staticNetwork: true });
  t.teardown(() => deadProvider.destroy());
  const offline = new SignatureVerifier({ provider: deadProvider });
  const message = sampleVote(alice.address);
  const digest = digester.digest('Vote', message);
  const sig = await signWith(alice, 'Vote', message);
  t.same(await offline.verify(alice.address, digest, sig), { kind: 'eoa', block: null }, 'EOA signatures need no RPC');
  const error = await expectCode(t, 'RPC_ERROR', offline.verify(alice.address, digest, await signWith(bob, 'Vote', message)));
  t.equal(error?.statusCode, 503);
  t.equal(error?.retryable, true);
});

t.test('keccak256: the native addon and @noble/hashes agree on every length around the block size', async (t) => {
  t.equal(keccakImplementation, 'native', 'the prebuilt addon loads on this platform');
  const lengths = [0, 1, 31, 32, 33, 64, 65, 135, 136, 137, 271, 272, 273, 600, 4096];
  for (const length of lengths) {
    for (const fill of [0, 0x5a, 0xff]) {
      const data = new Uint8Array(length).map((_, i) => (fill + i * 7) & 0xff);
      t.same(Buffer.from(keccak256(data)), Buffer.from(keccak256Noble(data)), `${length} bytes, fill ${fill}`);
    }
  }
  // A view into a larger buffer hashes only its own bytes.
  const backing = new Uint8Array(100).fill(9);
  t.same(Buffer.from(keccak256(backing.subarray(10, 42))), Buffer.from(keccak256Noble(backing.subarray(10, 42))));
});
