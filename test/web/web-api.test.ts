/**
 * The endpoints the members' app reads, on a real stack (hardhat chain with the DAO, PostgreSQL,
 * Redis): chain info and token metadata (read once, cached), the payload decoded for people and
 * simulated from the timelock, the operation id equal to the relayer's and the contracts', a space's
 * registered ABIs, the unsigned-payload preview, and the settings dry run.
 */
import t from 'tap';
import { Interface, Wallet, getAddress, parseEther } from 'ethers';
import { createSpace, spaceSettings, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { GRANT, proposeGrant, setupTreasury, TREASURY } from '../helpers/relay-flow.js';
import { nowSeconds } from '../helpers/messages.js';
import { loadArtifact } from '../../scripts/compile-contracts.js';
import { executionPlan } from '../../core/executions/operation.js';
import { DAO_ABIS } from '../../core/spaces/abis.js';
import { formatUnits } from '../../server/payload/decode.js';

const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);
const vault = new Interface(['function pay(address to, uint256 amount)']);
const reputation = new Interface(['function grant(address account, uint256 points)']);

let stack: TestStack;
t.before(async () => {
  stack = await startStack({ dao: { minDelay: 60 } });
});
t.teardown(() => stack?.close());

const post = async (url: string, payload: object) => {
  const r = await stack.app.inject({ method: 'POST', url, payload });
  return { status: r.statusCode, body: r.json() };
};

t.test('formatUnits: integers only, trailing zeros trimmed, thousands grouped', async (t) => {
  t.equal(formatUnits(5n * TOKEN, 18), '5');
  t.equal(formatUnits(1234500000000000000000n, 18), '1,234.5');
  t.equal(formatUnits(1n, 18), '0.000000000000000001');
  t.equal(formatUnits(42n, 0), '42');
  t.equal(formatUnits(10n ** 40n + 1n, 18), '10,000,000,000,000,000,000,000.000000000000000001');
});

t.test('the DAO fragments the server decodes with exist in the compiled contracts', async (t) => {
  for (const [name, fragments] of Object.entries(DAO_ABIS)) {
    const compiled = new Interface(loadArtifact(name).abi as never);
    for (const fragment of new Interface(fragments).fragments) {
      if (fragment.type !== 'function' && fragment.type !== 'error') continue;
      const sig = (fragment as unknown as { format(f: string): string }).format('sighash');
      const found = fragment.type === 'function' ? compiled.getFunction(sig) : compiled.getError(sig);
      t.ok(found, `${name}: ${sig}`);
    }
  }
});

t.test('chain info: latest block, a settled snapshot block, cached between reads', async (t) => {
  const head = await stack.chain.provider.getBlock('latest');
  const first = await stack.get('/api/chain/info');
  t.equal(first.status, 200);
  t.equal(first.body.chainId, stack.chain.chainId);
  t.equal(first.body.latest.number, String(head!.number));
  t.equal(first.body.latest.timestamp, head!.timestamp);
  t.equal(first.body.settledBlock, String(head!.number - 2), 'two blocks behind the latest');
  t.equal(first.body.sampleBlocks, Math.min(100, head!.number));
  t.type(first.body.averageBlockTimeMs, 'number');
  await stack.chain.provider.send('evm_mine', []);
  const second = await stack.get('/api/chain/info');
  t.same(second.body, first.body, 'a second read within the TTL is the cached one (no new chain read)');
});

t.test('token metadata: read from the chain, cached; a non-token is 404, a bad address 400', async (t) => {
  const token = await stack.get(`/api/chain/tokens/${String(stack.token.target).toLowerCase()}`);
  t.equal(token.status, 200);
  t.same(token.body, { address: getAddress(String(stack.token.target)), name: 'Blocktrack', symbol: 'BTK', decimals: 18 });
  const eoa = await stack.get(`/api/chain/tokens/${Wallet.createRandom().address}`);
  t.equal(eoa.status, 404);
  t.equal(eoa.body.code, 'NOT_A_TOKEN');
  const bad = await stack.get('/api/chain/tokens/0x1234');
  t.equal(bad.status, 400);
  t.equal(bad.body.code, 'INVALID_REQUEST');
});

t.test('a treasury grant for people: "5 BTK from the treasury to 0x…", simulated ok, the operation id equal to the relayer and the timelock', async (t) => {
  const dao = stack.dao!;
  await setupTreasury(stack);
  const tokens = await stack.get('/api/spaces/blocktrack/tokens');
  t.equal(tokens.status, 200);
  t.same(
    tokens.body.items.map((i: { symbol: string }) => i.symbol),
    ['BTK'],
    "the governance token (also the strategy's), once",
  );

  const grantee = Wallet.createRandom().address;
  const id = await proposeGrant(stack, { title: 'Course material', grantee });
  const r = await stack.get(`/api/proposals/${id}/payload`);
  t.equal(r.status, 200, JSON.stringify(r.body));
  const p = r.body;
  t.equal(p.execution, 'timelock');
  t.equal(p.calls.length, 1);
  const call = p.calls[0];
  t.equal(call.decoded.kind, 'erc20-transfer');
  t.equal(call.decoded.function, 'transfer(address,uint256)');
  t.equal(call.decoded.text, `5 BTK from the treasury to ${grantee}`);
  t.equal(call.decoded.amount, GRANT.toString());
  t.same(call.decoded.args, [
    { name: 'to', type: 'address', value: grantee },
    { name: 'amount', type: 'uint256', value: GRANT.toString() },
  ]);
  t.equal(call.simulation.ok, true, 'the treasury holds enough');
  t.match(call.simulation.gasEstimate, /^[0-9]+$/);
  t.equal(p.simulation.from.toLowerCase(), dao.addresses.timelock.toLowerCase());
  t.equal(p.simulation.ok, true);

  const proposal = (await stack.get(`/api/proposals/${id}`)).body;
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const plan = executionPlan({ id, title: proposal.title, executionMode: 'timelock', payload: proposal.payload, rules: { settings: space.settings } });
  t.equal(p.payloadHash, proposal.payloadHash);
  t.equal(p.operation.operationId, plan.operationId, "the relayer's operation id (relayer/operation.ts)");
  t.equal(p.operation.salt, plan.salt);
  t.equal(p.operation.predecessor, plan.predecessor);
  const onChain = await dao.timelock.getFunction('hashOperationBatch')(
    p.operation.targets,
    p.operation.values,
    p.operation.calldatas,
    p.operation.predecessor,
    p.operation.salt,
  );
  t.equal(p.operation.operationId, onChain, 'TimelockController.hashOperationBatch of the published inputs');
  t.match(p.operation.formula, /hashOperationBatch/);
});

t.test('the governor path: salt, description and Governor proposal id equal to the relayer and the Governor', async (t) => {
  const dao = stack.dao!;
  const id = await proposeGrant(stack, { title: 'Governor grant', grantee: Wallet.createRandom().address, execution: 'governor' });
  const p = (await stack.get(`/api/proposals/${id}/payload`)).body;
  const proposal = (await stack.get(`/api/proposals/${id}`)).body;
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const plan = executionPlan({ id, title: proposal.title, executionMode: 'governor', payload: proposal.payload, rules: { settings: space.settings } });
  t.equal(p.operation.mode, 'governor');
  t.equal(p.operation.operationId, plan.operationId);
  t.equal(p.operation.salt, plan.salt);
  t.equal(p.operation.description, plan.description);
  t.equal(p.operation.descriptionHash, plan.descriptionHash);
  t.equal(p.operation.governorProposalId, plan.governorProposalId);
  const onChain = await dao.governor.getFunction('hashProposal')(p.operation.targets, p.operation.values, p.operation.calldatas, p.operation.descriptionHash);
  t.equal(p.operation.governorProposalId, onChain.toString(), 'Governor.hashProposal');
});

t.test('preview of an unsigned payload: ETH, an overdrawn transfer, a registered ABI, a DAO contract reverting, raw calldata', async (t) => {
  const dao = stack.dao!;
  const someone = Wallet.createRandom().address;
  const vaultAddress = Wallet.createRandom().address;
  const changed = await createSpace(stack, 'blocktrack', {
    executor: dao.addresses.timelock,
    governor: dao.addresses.governor,
    abis: [{ address: vaultAddress, name: 'Grants vault', fragments: ['function pay(address to, uint256 amount)'] }],
  });
  t.equal(changed.status, 200, JSON.stringify(changed.body));
  const history = (await stack.get('/api/spaces/blocktrack/history')).body.items;
  t.same(
    history.at(-1).settings.abis,
    [{ address: vaultAddress, name: 'Grants vault', fragments: ['function pay(address to, uint256 amount)'] }],
    'the ABI is part of the signed settings',
  );

  const calls = [
    { target: someone, value: parseEther('1.5').toString(), data: '0x' },
    { target: String(stack.token.target), value: '0', data: erc20.encodeFunctionData('transfer', [someone, TREASURY + 1n]) },
    { target: vaultAddress, value: '0', data: vault.encodeFunctionData('pay', [someone, 7n]) },
    { target: dao.addresses.reputation, value: '0', data: reputation.encodeFunctionData('grant', [someone, 3n]) },
    { target: someone, value: '0', data: '0xdeadbeef0001' },
  ];
  const payload = { targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.data) };
  const r = await post('/api/payload/preview', { space: 'blocktrack', payload });
  t.equal(r.status, 200, JSON.stringify(r.body));
  const [eth, overdrawn, paid, granted, raw] = r.body.calls;
  t.equal(eth.decoded.kind, 'eth-transfer');
  t.equal(eth.decoded.text, `1.5 ETH from the treasury to ${someone}`);
  t.equal(eth.simulation.ok, false, 'the timelock holds no ETH');
  t.equal(eth.simulation.error, 'the executor holds 0 ETH, and the calls up to this one send 1.5 ETH');
  t.equal(overdrawn.decoded.text, `1,000.000000000000000001 BTK from the treasury to ${someone}`);
  t.equal(overdrawn.simulation.ok, false);
  t.equal(overdrawn.simulation.error, `ERC20InsufficientBalance(${getAddress(dao.addresses.timelock)}, ${TREASURY}, ${TREASURY + 1n})`, 'the revert decoded');
  t.equal(paid.decoded.kind, 'call');
  t.equal(paid.decoded.function, 'pay(address,uint256)');
  t.equal(paid.decoded.text, `the treasury calls pay(to = ${someone}, amount = 7) on Grants vault`);
  t.equal(granted.decoded.function, 'grant(address,uint256)', 'a DAO contract call decoded with its fragment');
  t.equal(granted.simulation.ok, false);
  t.equal(granted.simulation.error, `NotIssuer(${getAddress(dao.addresses.timelock)})`);
  t.equal(raw.decoded.kind, 'raw');
  t.match(raw.decoded.text, /selector 0xdeadbeef, 6 bytes/);
  t.equal(r.body.simulation.ok, false);
  t.equal(
    r.body.payloadHash,
    (await import('../../core/proposals/payload.js')).hashPayload({ ...payload, targets: payload.targets.map((a) => a.toLowerCase()) }),
  );

  const bad = await post('/api/payload/preview', { space: 'blocktrack', payload: { targets: ['0x12'], values: ['0'], calldatas: ['0x'] } });
  t.equal(bad.status, 400);
  t.equal(bad.body.code, 'INVALID_PAYLOAD');
  const missing = await post('/api/payload/preview', { space: 'nope', payload });
  t.equal(missing.status, 404);
  t.equal(missing.body.code, 'SPACE_NOT_FOUND');
});

t.test('a signal proposal has no calls; an unknown proposal is 404', async (t) => {
  const alice = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Signal',
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot: (await stack.chain.provider.getBlockNumber()) - 1,
      execution: '',
      payloadHash: `0x${'0'.repeat(64)}`,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const p = (await stack.get(`/api/proposals/${created.body.id}/payload`)).body;
  t.same(
    { execution: p.execution, calls: p.calls, operation: p.operation, simulation: p.simulation },
    { execution: '', calls: [], operation: null, simulation: null },
  );
  const missing = await stack.get(`/api/proposals/0x${'ab'.repeat(32)}/payload`);
  t.equal(missing.status, 404);
  t.equal(missing.body.code, 'PROPOSAL_NOT_FOUND');
});

t.test("settings dry run: the server's own parser, nothing stored; a bad ABI refused on the signed message too", async (t) => {
  const before = (await stack.get('/api/spaces/blocktrack/history')).body.items.length;
  const good = await post('/api/spaces/settings/validate', { settings: JSON.stringify(spaceSettings(stack, { name: 'Renamed' })) });
  t.equal(good.status, 200);
  t.equal(good.body.valid, true);
  t.same(good.body.problems, []);
  t.equal(good.body.settings.name, 'Renamed');
  t.equal(good.body.settings.maxActiveProposalsPerAuthor, 10, 'defaults applied as the server would store them');

  const badAbi = spaceSettings(stack, { abis: [{ address: stack.wallets[3]!.address, name: 'X', fragments: ['function (broken'] }], chainId: 1, name: '' });
  const bad = await post('/api/spaces/settings/validate', { settings: JSON.stringify(badAbi) });
  t.equal(bad.status, 200);
  t.equal(bad.body.valid, false);
  t.equal(bad.body.settings, null);
  t.ok(
    bad.body.problems.some((p: string) => p.startsWith('/name')),
    'the schema problem named',
  );
  const onlyAbi = await post('/api/spaces/settings/validate', {
    settings: JSON.stringify(spaceSettings(stack, { abis: [{ address: stack.wallets[3]!.address, name: 'X', fragments: ['function (broken'] }] })),
  });
  t.match(onlyAbi.body.problems, [/^\/abis\/0\/fragments\/0: not a human-readable ABI fragment/]);
  const wrongChain = await post('/api/spaces/settings/validate', { settings: JSON.stringify(spaceSettings(stack, { chainId: 1 })) });
  t.match(wrongChain.body.problems, [/^\/chainId: this deployment serves chain/]);
  const notJson = await post('/api/spaces/settings/validate', { settings: '{' });
  t.same(notJson.body, { valid: false, problems: ['settings is not valid JSON'], settings: null });

  const refused = await stack.submit(
    await stack.sign(stack.wallets[0]!, 'Space', {
      from: stack.wallets[0]!.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      settings: JSON.stringify(spaceSettings(stack, { abis: [{ address: stack.wallets[3]!.address, name: 'X', fragments: ['function (broken'] }] })),
    }),
  );
  t.equal(refused.status, 400);
  t.equal(refused.body.code, 'INVALID_SETTINGS');
  t.equal((await stack.get('/api/spaces/blocktrack/history')).body.items.length, before, 'nothing stored by the dry runs or the refusal');
});

t.test("encode: calldata from a function fragment equals ethers' coder; bad fragments and arguments named", async (t) => {
  const to = Wallet.createRandom().address;
  const ok = await post('/api/payload/encode', { fragment: 'function pay(address to, uint256 amount)', args: [to, '7'] });
  t.equal(ok.status, 200);
  t.same(ok.body, { data: vault.encodeFunctionData('pay', [to, 7n]), function: 'pay(address,uint256)', selector: vault.getFunction('pay')!.selector });
  const arrays = await post('/api/payload/encode', { fragment: 'batch(address[] to, bool flag)', args: [JSON.stringify([to]), 'true'] });
  t.equal(
    arrays.body.data,
    new Interface(['function batch(address[] to, bool flag)']).encodeFunctionData('batch', [[to], true]),
    'without "function", arrays as JSON',
  );
  const badFragment = await post('/api/payload/encode', { fragment: 'function (', args: [] });
  t.same([badFragment.status, badFragment.body.code], [400, 'INVALID_FRAGMENT']);
  const count = await post('/api/payload/encode', { fragment: 'function pay(address to, uint256 amount)', args: [to] });
  t.same([count.status, count.body.code], [400, 'INVALID_ARGUMENTS']);
  t.match(count.body.message, /takes 2 arguments, got 1/);
  const badValue = await post('/api/payload/encode', { fragment: 'function pay(address to, uint256 amount)', args: ['0x12', '1'] });
  t.same([badValue.status, badValue.body.code], [400, 'INVALID_ARGUMENTS']);
});

t.test("one voter's votes: the current vote per stage, empty before voting, 404 for an unknown proposal", async (t) => {
  const alice = stack.wallets[1]!;
  const bob = stack.wallets[2]!;
  const id = await proposeGrant(stack, { title: 'Voter lookup', grantee: Wallet.createRandom().address });
  t.same((await stack.get(`/api/proposals/${id}/votes/${alice.address}`)).body, { items: [] });
  const vote = async (timestamp: number, choice: string) =>
    stack.submit(await stack.sign(alice, 'Vote', { from: alice.address, space: 'blocktrack', proposal: id, stage: 1, timestamp, choice, reason: 'why not' }));
  const first = await vote(nowSeconds(), '1');
  t.equal(first.status, 200, JSON.stringify(first.body));
  const second = await vote(nowSeconds() + 1, '2');
  t.equal(second.status, 200, JSON.stringify(second.body));
  const mine = (await stack.get(`/api/proposals/${id}/votes/${alice.address.toLowerCase()}`)).body.items;
  t.equal(mine.length, 1, 'the re-vote replaced the vote');
  t.match(mine[0], { voter: alice.address.toLowerCase(), stage: 1, choice: 2, reason: 'why not', power: (100n * TOKEN).toString(), messageId: second.body.id });
  t.same((await stack.get(`/api/proposals/${id}/votes/${bob.address}`)).body, { items: [] }, 'another voter sees nothing of hers');
  const missing = await stack.get(`/api/proposals/0x${'cd'.repeat(32)}/votes/${alice.address}`);
  t.same([missing.status, missing.body.code], [404, 'PROPOSAL_NOT_FOUND']);
});

t.test('the new endpoints are in the OpenAPI document', async (t) => {
  const doc = (await stack.get('/docs/json')).body;
  for (const path of [
    '/api/chain/info',
    '/api/chain/tokens/{address}',
    '/api/spaces/{id}/tokens',
    '/api/proposals/{id}/payload',
    '/api/payload/preview',
    '/api/payload/encode',
    '/api/spaces/settings/validate',
    '/api/proposals/{id}/votes/{address}',
  ]) {
    t.ok(doc.paths[path], path);
  }
});
