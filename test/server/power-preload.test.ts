/**
 * Voting power ahead of votes: the holder search over eth_getLogs (chunks, halving a refused range,
 * the address limit), and the preload of a proposal's likely voters, after which their votes make
 * no chain read at all; a voter it missed is still computed exactly.
 */
import t from 'tap';
import { id as eventTopic, type Contract } from 'ethers';
import { nowSeconds } from '../helpers/messages.js';
import { LogAddressScanner } from '../../core/chain/log-addresses.js';
import { JsonRpcClient, JsonRpcResponseError } from '../../core/chain/json-rpc.js';
import type { JsonRpcSender } from '../../core/chain/multicall.js';
import { createProposal, createSpace, latestBlock, startStack, waitFor, TOKEN, type TestStack } from '../helpers/stack.js';

const TRANSFER = eventTopic('Transfer(address,address,uint256)');

function vote(stack: TestStack, index: number, proposal: string, app = stack.app) {
  const wallet = stack.wallets[index]!;
  return stack
    .sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' })
    .then((envelope) => stack.submit(envelope, app));
}

const readyPreload = (stack: TestStack, proposal: string, app = stack.app) =>
  waitFor(async () => {
    const { body } = await stack.get(`/api/proposals/${proposal}/power-preload`, app);
    return body.state === 'ready' || body.state === 'failed' ? body : null;
  });

t.test('holder search: every Transfer recipient up to the block, in chunks, refused ranges halved, bounded', async (t) => {
  const stack = await startStack({ holders: {}, delegate: false });
  t.teardown(() => stack.close());
  const token = stack.token as Contract;
  const mint = token.getFunction('mint');
  const from = BigInt(await latestBlock(stack)) + 1n;
  const recipients = stack.wallets.slice(1, 9).map((w) => w.address.toLowerCase());
  for (const [i, address] of recipients.entries()) await (await mint(address, BigInt(i + 1) * TOKEN)).wait();
  const to = BigInt(await latestBlock(stack));
  // A later recipient is outside the range.
  await (await mint(stack.wallets[9]!.address, TOKEN)).wait();
  const query = { contract: String(token.target), topic0: TRANSFER, addressTopic: 2 as const, fromBlock: from, toBlock: to };

  const client = new JsonRpcClient(stack.chain.rpcUrl);
  t.teardown(() => client.close());
  const whole = new LogAddressScanner(client, { chunkBlocks: 10_000, maxAddresses: 100 });
  const found = await whole.scan(query);
  t.same([...found.addresses].sort(), [...recipients].sort(), 'exactly the recipients in range (the zero address and later ones left out)');
  t.equal(found.complete, true);
  t.equal(whole.requests, 1);

  const chunked = new LogAddressScanner(client, { chunkBlocks: 3, maxAddresses: 100 });
  t.same([...(await chunked.scan(query)).addresses].sort(), [...recipients].sort(), 'same set in 3-block chunks');
  t.equal(chunked.requests, Math.ceil(Number(to - from + 1n) / 3));

  // A node that refuses ranges wider than 2 blocks, as providers cap eth_getLogs: the scan halves them.
  let refused = 0;
  const capped: JsonRpcSender = {
    send: async (method: string, params: any[]) => {
      const range = BigInt(params[0].toBlock) - BigInt(params[0].fromBlock) + 1n;
      if (method === 'eth_getLogs' && range > 2n) {
        refused += 1;
        throw new JsonRpcResponseError(method, -32005, 'query returned more than 2 blocks', undefined);
      }
      return client.send(method, params);
    },
  };
  const halving = new LogAddressScanner(capped, { chunkBlocks: 10_000, maxAddresses: 100 });
  t.same([...(await halving.scan(query)).addresses].sort(), [...recipients].sort(), 'same set through a node that caps the range');
  t.ok(refused > 0, `${refused} refused ranges were halved`);

  const bounded = new LogAddressScanner(client, { chunkBlocks: 10_000, maxAddresses: 5 });
  const partial = await bounded.scan(query);
  t.equal(partial.addresses.size, 5, 'stops at the address limit');
  t.equal(partial.complete, false, 'and says the set is partial');

  const down = new LogAddressScanner(new JsonRpcClient('http://127.0.0.1:9', { timeoutMs: 2000 }), { chunkBlocks: 10, maxAddresses: 5 });
  await t.rejects(down.scan(query), { code: 'RPC_ERROR', retryable: true }, 'an unreachable node is a retryable upstream error');
});

t.test('a proposal preloads its delegates: their votes read nothing from the chain, others are still exact', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  t.equal((await createSpace(stack)).status, 200);
  const proposal = await createProposal(stack, 'Preloaded');

  const status = await readyPreload(stack, proposal);
  t.match(status, { state: 'ready', holders: 4, computed: 4, complete: true }, 'the four self-delegated holders');
  t.ok(status.logRequests >= 1);

  const multicall = stack.app.chain.multicall;
  const before = multicall.rpcCalls;
  for (const index of [1, 2, 3, 4]) t.equal((await vote(stack, index, proposal)).status, 200, `holder ${index} votes`);
  t.equal(multicall.rpcCalls, before, 'no eth_call for preloaded voters');
  const power = await stack.get(`/api/proposals/${proposal}/power/${stack.wallets[2]!.address}`);
  t.equal(power.body.power, (50n * TOKEN).toString(), 'preloaded power is the snapshot power');

  // wallets[6] holds tokens but never delegated: not a likely voter, computed on demand (0 votes).
  await (await stack.token.getFunction('mint')(stack.wallets[6]!.address, TOKEN)).wait();
  const late = await createProposal(stack, 'Late holder');
  await readyPreload(stack, late);
  const calls = multicall.rpcCalls;
  const refused = await vote(stack, 6, late);
  t.equal(refused.status, 400);
  t.equal(refused.body.code, 'ZERO_POWER', 'an undelegated holder has no votes');
  t.equal(multicall.rpcCalls, calls + 1, 'computed with one eth_call');

  const tally = await stack.get(`/api/proposals/${proposal}/tally?stage=1`);
  t.equal(tally.body.tally.totalPower, (184n * TOKEN).toString(), 'the tally counts the preloaded powers');
});

t.test('another instance preloads at its first vote; POWER_PRELOAD_MAX_HOLDERS=0 turns it off', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  t.equal((await createSpace(stack)).status, 200);
  const proposal = await createProposal(stack, 'Two instances');
  const other = await stack.startApp();
  t.equal((await stack.get(`/api/proposals/${proposal}/power-preload`, other)).body.state, 'idle', 'not started on the other instance');
  t.equal((await vote(stack, 1, proposal, other)).status, 200);
  t.match(await readyPreload(stack, proposal, other), { state: 'ready', holders: 4, computed: 4 }, 'started by the vote');

  const off = await stack.startApp({ POWER_PRELOAD_MAX_HOLDERS: 0 });
  t.equal((await vote(stack, 2, proposal, off)).status, 200, 'votes work without preloading');
  t.equal((await stack.get(`/api/proposals/${proposal}/power-preload`, off)).body.state, 'off');
  t.equal((await stack.get('/api/proposals/0x' + '00'.repeat(32) + '/power-preload')).status, 404);
});
