/**
 * EIP-712 digests (server/eip712/digest.ts) against ethers' TypedDataEncoder: domain separators,
 * random messages of every type, edge cases, and the values refused. (Split from signatures.test.ts.)
 */
import t from 'tap';
import { TypedDataEncoder } from 'ethers';
import { createDigester, hexToBytes } from '../../../server/eip712/digest.js';
import { PRIMARY_TYPES, buildDomain, type MessageByType, type PrimaryType } from '../../../server/eip712/types.js';
import { DOMAIN, digester, ethersTypes, expectCode, randomHex, randomMessage, sampleVote } from '../../helpers/eip712.js';

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
    kind: 'default',
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
