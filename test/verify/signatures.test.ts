/**
 * The verifier's signature code (verify/signatures.ts) against the server's and ethers': message
 * digests of random messages of every type, the published domain and types, ECDSA recovery (v forms,
 * high s refused), typed data that is not the deployment's, and the legacy receipt digest.
 */
import t from 'tap';
import { solidityPackedKeccak256, TypedDataEncoder, Wallet } from 'ethers';
import { EIP712_DOMAIN_TYPE, MESSAGE_TYPES, type MessageByType, type PrimaryType } from '../../server/eip712/types.js';
import { DOMAIN, digester, randomMessage, SECP256K1_N } from '../helpers/eip712.js';
import { domainProblems, messageDigest, receiptDigest, recoverSigner, typedDataProblem, type SignedData } from '../../verify/signatures.js';

const TYPES: PrimaryType[] = ['Space', 'Proposal', 'Vote', 'CancelProposal', 'AdvanceProposal'];
const dataOf = (primaryType: PrimaryType, message: Record<string, unknown>): SignedData => ({
  domain: { ...DOMAIN },
  types: { [primaryType]: MESSAGE_TYPES[primaryType] },
  primaryType,
  message,
});

t.test('message digests = the server digest = ethers TypedDataEncoder.hash, on random messages of every type', async (t) => {
  let same = 0;
  for (const primaryType of TYPES) {
    for (let i = 0; i < 40; i++) {
      const message = randomMessage(primaryType);
      const ours = messageDigest(dataOf(primaryType, message), DOMAIN);
      const server = digester.digest(primaryType, message as unknown as MessageByType[typeof primaryType]);
      const ethers = TypedDataEncoder.hash(DOMAIN, { [primaryType]: [...MESSAGE_TYPES[primaryType]] }, message);
      if (ours === server && ours === ethers) same++;
      else t.fail(`${primaryType} #${i}: ${ours} / server ${server} / ethers ${ethers}`);
    }
  }
  t.equal(same, TYPES.length * 40);
});

t.test('the published domain and types are checked against the verifier constants', async (t) => {
  const types = { EIP712Domain: EIP712_DOMAIN_TYPE, ...MESSAGE_TYPES };
  t.same(domainProblems({ domain: DOMAIN, types }, 31337), []);
  t.match(domainProblems({ domain: DOMAIN, types }, 1), [/chainId is 31337, the RPC's chain is 1/]);
  t.match(domainProblems({ domain: { ...DOMAIN, name: 'snapshot' }, types }, 31337), [/domain.name/]);
  const reordered = { ...types, Vote: [...MESSAGE_TYPES.Vote].reverse() };
  t.match(domainProblems({ domain: DOMAIN, types: reordered }, 31337), [/types.Vote differs/]);

  const vote = dataOf('Vote', randomMessage('Vote'));
  t.equal(typedDataProblem(vote, DOMAIN), null);
  t.match(typedDataProblem({ ...vote, domain: { ...vote.domain, salt: `0x${'00'.repeat(32)}` } }, DOMAIN), /salt/);
  t.match(typedDataProblem({ ...vote, domain: { ...vote.domain, chainId: 1 } }, DOMAIN), /chainId/);
  t.match(typedDataProblem({ ...vote, domain: { ...vote.domain, verifyingContract: DOMAIN.salt.slice(0, 42) } }, DOMAIN), /fields/);
  t.match(typedDataProblem({ ...vote, primaryType: 'LinkDiscord' }, DOMAIN), /not a govrelay message type/);
});

t.test('ECDSA recovery: v 27/28 and 0/1, high s refused, another digest another signer', async (t) => {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const digest = messageDigest(dataOf('Vote', randomMessage('Vote')), DOMAIN);
  const sig = wallet.signingKey.sign(digest);
  t.equal(recoverSigner(digest, sig.serialized), wallet.address.toLowerCase());
  const v01 = `${sig.serialized.slice(0, 130)}${(sig.v - 27).toString(16).padStart(2, '0')}`;
  t.equal(recoverSigner(digest, v01), wallet.address.toLowerCase(), 'v as 0/1');
  const highS = (SECP256K1_N - BigInt(sig.s)).toString(16).padStart(64, '0');
  const twin = `${sig.r}${highS}${(sig.v === 27 ? 28 : 27).toString(16)}`;
  t.equal(recoverSigner(digest, twin), null, 'the high-s twin is refused');
  t.not(recoverSigner(receiptDigest(digest, 1), sig.serialized), wallet.address.toLowerCase());
  t.equal(recoverSigner(digest, '0x1234'), null);
});

t.test('the legacy receipt digest (messages stored before the log) = keccak256(id ‖ uint64be(ms)), as ethers packs it', async (t) => {
  const id = messageDigest(dataOf('Vote', randomMessage('Vote')), DOMAIN);
  for (const ms of [0, 1, 1_735_689_600_123, 2 ** 53 - 1]) t.equal(receiptDigest(id, ms), solidityPackedKeccak256(['bytes32', 'uint64'], [id, ms]));
});

t.test('message digests of values outside the plain forms (numbers, hex, bad checksums) = ethers, or refused as ethers refuses them', async (t) => {
  const ethersHash = (message: Record<string, unknown>) => TypedDataEncoder.hash(DOMAIN, { Vote: [...MESSAGE_TYPES.Vote] }, message);
  const base = randomMessage('Vote');
  for (const change of [{ stage: 2 }, { stage: '2' }, { stage: '0x02' }, { timestamp: 1_735_689_600 }, { timestamp: '0x675ff000' }, { reason: 'ü 😀 ✓' }]) {
    const message = { ...base, ...change };
    t.equal(messageDigest(dataOf('Vote', message), DOMAIN), ethersHash(message), JSON.stringify(change));
  }
  const checksummed = Wallet.createRandom().address;
  const wrongCase = `0x${[...checksummed.slice(2)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')}`;
  t.throws(() => ethersHash({ ...base, from: wrongCase }), 'ethers refuses a bad checksum');
  t.throws(() => messageDigest(dataOf('Vote', { ...base, from: wrongCase }), DOMAIN), 'so does the verifier');
  t.throws(() => messageDigest(dataOf('Vote', { ...base, stage: 256 }), DOMAIN), 'a uint8 out of range is refused');
});
