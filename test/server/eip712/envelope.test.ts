/**
 * Envelope parsing (server/eip712/envelope.ts): every error code, each with its own machine-readable
 * code and path. (Split from signatures.test.ts.) Signing needs no chain: fixed test keys.
 */
import t from 'tap';
import { Wallet, id } from 'ethers';
import { EnvelopeParser } from '../../../server/eip712/envelope.js';
import { MESSAGE_TYPES, typesFor, type Eip712Domain } from '../../../server/eip712/types.js';
import { envelopeFor } from '../../helpers/messages.js';
import { DOMAIN, SALT, digester, expectCode, randomMessage, sampleVote, signWith } from '../../helpers/eip712.js';

const alice = new Wallet(id('govrelay envelope test: alice'));
const bob = new Wallet(id('govrelay envelope test: bob'));

t.test('envelope: every error code', async (t) => {
  const parser = new EnvelopeParser({ domain: DOMAIN, extraFields: ['payload'] });
  const message = sampleVote(alice.address);
  const sig = await signWith(alice, 'Vote', message);
  const good = () => structuredClone(envelopeFor('Vote', message, sig, DOMAIN));
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
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void delete (e as Partial<typeof e>).sig),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void delete (e as Partial<typeof e>).data),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void (e.extra = 1)),
  );
  await expectCode(t, 'INVALID_ENVELOPE', () => new EnvelopeParser({ domain: DOMAIN }).parse({ ...good(), payload: {} }));
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void (e.address = 'alice.eth')),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void (e.sig = 12 as never)),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void ((e.data as Record<string, unknown>).extra = 1)),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void delete (e.data as Partial<typeof e.data>).message),
  );
  await expectCode(
    t,
    'INVALID_ENVELOPE',
    parse((e) => void (e.data = [] as never)),
  );

  // BAD_SIGNATURE (sig not hex)
  await expectCode(
    t,
    'BAD_SIGNATURE',
    parse((e) => void (e.sig = '0xabc')),
  );

  // UNKNOWN_TYPE
  for (const primaryType of ['Ballot', '__proto__', 'constructor', 'EIP712Domain', 7]) {
    await expectCode(
      t,
      'UNKNOWN_TYPE',
      parse((e) => void (e.data.primaryType = primaryType as never)),
    );
  }

  // TYPES_MISMATCH (EIP712Domain may be absent, but must be ours if present)
  const noDomainType = good();
  delete (noDomainType.data.types as Record<string, unknown>).EIP712Domain;
  t.equal(parser.parse(noDomainType).digest, parsed.digest, 'accepted without EIP712Domain');
  const reordered = [...MESSAGE_TYPES.Vote].reverse();
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = { Vote: reordered } as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = { ...typesFor('Vote'), Extra: [] } as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = typesFor('CancelProposal') as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = { ...typesFor('Vote'), EIP712Domain: [{ name: 'name', type: 'string' }] } as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = { Vote: MESSAGE_TYPES.Vote.map((f) => (f.name === 'stage' ? { ...f, type: 'uint256' } : f)) } as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = { Vote: MESSAGE_TYPES.Vote.map((f) => ({ ...f, extra: 1 })) } as never)),
  );
  await expectCode(
    t,
    'TYPES_MISMATCH',
    parse((e) => void (e.data.types = null as never)),
  );

  // WRONG_DOMAIN and WRONG_CHAIN_ID
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void (e.data.domain.name = 'snapshot')),
  );
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void (e.data.domain.version = '0.1.4')),
  );
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void (e.data.domain.salt = id('other'))),
  );
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void ((e.data.domain as unknown as Record<string, unknown>).verifyingContract = alice.address)),
  );
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void delete (e.data.domain as Partial<Eip712Domain>).salt),
  );
  await expectCode(
    t,
    'WRONG_DOMAIN',
    parse((e) => void (e.data.domain = 'govrelay' as never)),
  );
  for (const chainId of [1, '1', '0x1', 31337.5, -1, 'abc', null]) {
    await expectCode(
      t,
      'WRONG_CHAIN_ID',
      parse((e) => void (e.data.domain.chainId = chainId as never)),
    );
  }
  for (const chainId of ['31337', '0x7a69']) {
    t.equal(parse((e) => void (e.data.domain.chainId = chainId as never))().digest, parsed.digest, `chainId ${chainId} accepted`);
  }
  t.equal(parse((e) => void (e.data.domain.salt = SALT.toUpperCase().replace('0X', '0x')))().digest, parsed.digest, 'salt case-insensitive');

  // INVALID_MESSAGE, with the field path
  const invalidMessage = async (mutate: (m: Record<string, unknown>) => void, path: string) => {
    const error = await expectCode(
      t,
      'INVALID_MESSAGE',
      parse((e) => void mutate(e.data.message as never)),
    );
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
  const proposalEnvelope = envelopeFor('Proposal', { ...randomMessage('Proposal'), from: alice.address, choices: ['a', 3] }, sig, DOMAIN);
  const choicesError = await expectCode(t, 'INVALID_MESSAGE', () => parser.parse(proposalEnvelope));
  t.equal(choicesError?.details?.path, '/message/choices/1', 'array element path');

  // ADDRESS_MISMATCH: the envelope's address must be message.from
  await expectCode(
    t,
    'ADDRESS_MISMATCH',
    parse((e) => void (e.address = bob.address)),
  );
  t.equal(parse((e) => void (e.address = e.address.toLowerCase()))().from, alice.address.toLowerCase(), 'address compared case-insensitively');
});
