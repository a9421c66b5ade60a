/**
 * Signature verification (server/eip712/signature.ts): EOA signatures from ethers and eth-sig-util,
 * stored fixtures, v and s forms, EIP-1271 and ERC-6492 contract wallets on a real hardhat node, and
 * an RPC failure. (Split from signatures.test.ts.)
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import secp256k1 from 'secp256k1';
import { SignTypedDataVersion, signTypedData, type MessageTypes, type TypedMessage } from '@metamask/eth-sig-util';
import { AbiCoder, Contract, JsonRpcProvider, Signature, Wallet, computeAddress, concat, hexlify, id } from 'ethers';
import { startLocalChain, deployContract, mineBlocks, freePort } from '../../../scripts/local-chain.js';
import { createDigester, hexToBytes } from '../../../server/eip712/digest.js';
import { EnvelopeParser, parseEnvelope } from '../../../server/eip712/envelope.js';
import { ERC6492_SUFFIX, SignatureVerifier, recoverEoa } from '../../../server/eip712/signature.js';
import { PRIMARY_TYPES, buildDomain, typesFor, type Eip712Domain, type PrimaryType } from '../../../server/eip712/types.js';
import { envelopeFor } from '../../helpers/messages.js';
import { DOMAIN, SALT, SECP256K1_N, digester, expectCode, randomMessage, sampleVote, signWith } from '../../helpers/eip712.js';

// ---------------------------------------------------------------------------------------------
// The chain (real hardhat node), shared by this file's tests
// ---------------------------------------------------------------------------------------------

const chain = await startLocalChain();
t.teardown(() => chain.stop());
const verifier = new SignatureVerifier({ provider: chain.provider });
const [, alice, bob, carol] = chain.wallets as [Wallet, Wallet, Wallet, Wallet];

// ---------------------------------------------------------------------------------------------
// Fixtures (generated once by eth-sig-util; see test/fixtures/generate-eip712-fixtures.ts)
// ---------------------------------------------------------------------------------------------

interface Fixtures {
  privateKey: string;
  address: string;
  domain: Eip712Domain;
  messages: { primaryType: PrimaryType; message: Record<string, unknown>; digest: string; signature: string }[];
}
const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/eip712-fixtures.json', import.meta.url), 'utf8')) as Fixtures;

t.test('stored fixtures: digests, signatures and envelopes still verify', async (t) => {
  t.equal(fixtures.messages.length, PRIMARY_TYPES.length, 'one fixture per primary type');
  t.same(new Set(fixtures.messages.map((m) => m.primaryType)), new Set(PRIMARY_TYPES));
  const fixtureDigester = createDigester(fixtures.domain);
  const parser = new EnvelopeParser({ domain: fixtures.domain });
  for (const { primaryType, message, digest, signature } of fixtures.messages) {
    t.equal(fixtureDigester.digest(primaryType, message as never), digest, `${primaryType} digest unchanged`);
    t.same(await verifier.verify(fixtures.address, digest, signature), { kind: 'eoa', block: null }, `${primaryType} signature verifies`);
    const parsed = parser.parse({
      address: fixtures.address,
      sig: signature,
      data: { domain: fixtures.domain, types: typesFor(primaryType), primaryType, message },
    });
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

      const parsed = parseEnvelope(envelopeFor(primaryType, message, bySigUtil, DOMAIN), { domain: DOMAIN });
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
  for (const [what, sig] of [
    ['chainId', otherChain],
    ['salt', otherSalt],
    ['primary type', otherType],
  ] as const) {
    await expectCode(t, 'SIGNER_MISMATCH', verifier.verify(alice.address, expectedDigest, sig));
    t.not(recoverEoa(hexToBytes(expectedDigest)!, hexToBytes(sig)!), alice.address.toLowerCase(), `${what}: recovers someone else`);
  }
  t.same(await verifier.verify(alice.address, expectedDigest, await signWith(alice, 'CancelProposal', action)), { kind: 'eoa', block: null });
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

  const parsed = parseEnvelope(envelopeFor('Vote', message, byBob, DOMAIN), { domain: DOMAIN });
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
    concat([
      AbiCoder.defaultAbiCoder().encode(['address', 'bytes', 'bytes'], [factoryAddress, '0xdeadbeef', await signWith(bob, 'Vote', message)]),
      ERC6492_SUFFIX,
    ]),
  );
  await expectCode(t, 'BAD_SIGNATURE', verifier.verify(walletAddress, digest, brokenFactoryCall));

  const parsed = parseEnvelope(envelopeFor('Vote', message, byBob, DOMAIN), { domain: DOMAIN });
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
