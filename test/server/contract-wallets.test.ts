/**
 * Contract wallets vote through the API: an EIP-1271 wallet (a Safe-like contract) and an
 * EIP-6492 counterfactual wallet that is not deployed yet. The block of the contract check is
 * recorded with the message, because a wallet's answer can change when it rotates signers.
 */
import t from 'tap';
import { AbiCoder, concat, Contract, hexlify, id as keccakText, type Wallet } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { deployContract, mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { ERC6492_SUFFIX } from '../../server/eip712/signature.js';
import { MESSAGE_TYPES, type VoteMessage } from '../../server/eip712/types.js';
import { envelopeFor, testDomain } from '../helpers/messages.js';

async function signVoteAs(owner: Wallet, message: VoteMessage): Promise<string> {
  return owner.signTypedData(testDomain(), { Vote: [...MESSAGE_TYPES.Vote] }, message as unknown as Record<string, unknown>);
}

t.test('EIP-1271 and EIP-6492 wallets vote; the check block is recorded', async (t) => {
  const stack: TestStack = await startStack();
  t.teardown(() => stack.close());
  const owner = stack.wallets[8]!;
  const minter = stack.token as Contract;

  const smartWallet = await deployContract(stack.wallets[0]!, 'TestSmartWallet', [owner.address]);
  const factory = await deployContract(stack.wallets[0]!, 'TestWalletFactory');
  const salt = keccakText('counterfactual');
  const counterfactual: string = await factory.getFunction('walletAddress')(owner.address, salt);
  t.equal(await stack.chain.provider.getCode(counterfactual), '0x', 'the counterfactual wallet is not deployed');
  await (await minter.getFunction('mint')(smartWallet.target, 40n * TOKEN)).wait();
  await (await minter.getFunction('mint')(counterfactual, 30n * TOKEN)).wait();
  await mineBlocks(stack.chain.provider, 1);

  // Contract wallets cannot call delegate here, so this space counts plain balances.
  t.equal(
    (
      await createSpace(stack, 'wallets', {
        strategies: [{ name: 'token-weighted', params: { address: stack.token.target as string, method: 'balanceOf' } }],
        temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  const alice = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'wallets',
      timestamp: nowSeconds(),
      title: 'Contract wallets welcome',
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const proposal: string = created.body.id;

  const vote1271: VoteMessage = {
    from: smartWallet.target as string,
    space: 'wallets',
    proposal,
    stage: 1,
    timestamp: nowSeconds(),
    choice: '1',
    reason: 'from a smart wallet',
  };
  const blockBefore = await latestBlock(stack);
  const accepted1271 = await stack.submit(envelopeFor('Vote', vote1271, await signVoteAs(owner, vote1271)));
  t.equal(accepted1271.status, 200, JSON.stringify(accepted1271.body));
  const stored1271 = (await stack.get(`/api/messages/${accepted1271.body.id}`)).body;
  t.equal(stored1271.sigKind, 'eip1271');
  t.ok(Number(stored1271.sigBlock) >= blockBefore, `checked at block ${stored1271.sigBlock}`);

  // A signature by someone else is refused for the same wallet.
  const forged: VoteMessage = { ...vote1271, timestamp: vote1271.timestamp + 1, choice: '2' };
  const refused = await stack.submit(envelopeFor('Vote', forged, await signVoteAs(stack.wallets[9]!, forged)));
  t.equal(refused.status, 401);

  const vote6492: VoteMessage = { from: counterfactual, space: 'wallets', proposal, stage: 1, timestamp: nowSeconds(), choice: '2', reason: '' };
  const factoryCalldata = factory.interface.encodeFunctionData('deploy', [owner.address, salt]);
  const wrapped = hexlify(
    concat([
      AbiCoder.defaultAbiCoder().encode(['address', 'bytes', 'bytes'], [factory.target, factoryCalldata, await signVoteAs(owner, vote6492)]),
      ERC6492_SUFFIX,
    ]),
  );
  const accepted6492 = await stack.submit(envelopeFor('Vote', vote6492, wrapped));
  t.equal(accepted6492.status, 200, JSON.stringify(accepted6492.body));
  t.equal((await stack.get(`/api/messages/${accepted6492.body.id}`)).body.sigKind, 'eip6492');
  t.equal(await stack.chain.provider.getCode(counterfactual), '0x', 'verifying did not deploy the wallet');

  const tally = (await stack.get(`/api/proposals/${proposal}/tally?stage=1`)).body.tally;
  t.same(tally.scores, [(40n * TOKEN).toString(), (30n * TOKEN).toString(), '0']);

  // Power is computed once per (proposal, address) and cached: a re-vote makes no chain reads.
  const callsBefore = stack.app.chain.multicall.rpcCalls;
  const revote: VoteMessage = { ...vote1271, timestamp: vote1271.timestamp + 2, choice: '3' };
  t.equal((await stack.submit(envelopeFor('Vote', revote, await signVoteAs(owner, revote)))).status, 200);
  t.equal(stack.app.chain.multicall.rpcCalls, callsBefore, 'no strategy call for a cached voter');
});
