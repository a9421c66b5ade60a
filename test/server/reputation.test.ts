/**
 * The reputation ledger end to end: operators append entries (authenticated), and a space whose
 * strategy is reputation-weighted (ledger source) counts stake + reputation × pointValue as of the
 * snapshot time; entries after the snapshot do not count.
 */
import t from 'tap';
import pg from 'pg';
import { createProposal, createSpace, latestBlock, startStack, TOKEN } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

t.test('ledger reputation counts as of the snapshot', async (t) => {
  const stack = await startStack({ config: { ADMIN_TOKEN } });
  t.teardown(() => stack.close());
  const [, alice, bob] = stack.wallets as any[];
  const token = stack.token.target as string;
  t.equal(
    (
      await createSpace(stack, 'guild', {
        strategies: [
          {
            name: 'reputation-weighted',
            params: { stake: { name: 'token-weighted', params: { address: token } }, source: { kind: 'ledger' }, pointValue: TOKEN.toString() },
          },
        ],
      })
    ).status,
    200,
  );

  const grant = (address: string, delta: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }, at?: Date) =>
    stack.app.inject({
      method: 'POST',
      url: '/api/admin/spaces/guild/reputation',
      headers,
      payload: { address, delta, reason: 'course completed', ...(at ? { at: at.toISOString() } : {}) },
    });
  t.equal((await grant(alice.address, '7', {})).statusCode, 401, 'no token');
  t.equal((await grant(alice.address, '7', { authorization: 'Bearer wrong-token-0000000000' })).json().code, 'UNAUTHORIZED');
  t.equal((await grant(alice.address, '7')).statusCode, 200);
  t.equal((await grant(bob.address, '-3')).statusCode, 200, 'a penalty');
  t.equal((await grant(alice.address, '0')).statusCode, 400, 'a zero change is refused');
  t.equal((await stack.get(`/api/spaces/guild/reputation/${alice.address}`)).body.reputation, '7');

  // Entries count up to the snapshot block's timestamp (the local chain's clock can run ahead of
  // the wall clock, so the later entry is dated from the block, not from now).
  await new Promise((r) => setTimeout(r, 1100));
  await mineBlocks(stack.chain.provider, 2);
  const snapshot = (await latestBlock(stack)) - 1;
  const snapshotTime = (await stack.chain.provider.getBlock(snapshot))!.timestamp;
  const late = await grant(alice.address, '100', undefined, new Date((snapshotTime + 1) * 1000));
  t.equal(late.statusCode, 200, 'granted one second after the snapshot');

  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'guild',
      timestamp: nowSeconds(),
      title: 'Reputation counts',
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const power = async (address: string) => (await stack.get(`/api/proposals/${created.body.id}/power/${address}`)).body.power;
  t.equal(await power(alice.address), (107n * TOKEN).toString(), 'alice: 100 staked + 7 points (the later 100 points do not count)');
  t.equal(await power(bob.address), (50n * TOKEN).toString(), 'bob: 50 staked; a negative reputation counts as 0');
});

t.test('a voter keeps the power they were counted with, on another instance too; several strategies store their breakdown', async (t) => {
  // One strategy: the vote row is the only record of the counted power (no voting_powers row). A
  // back-dated ledger entry after the vote would change a recomputation; the power read on a second
  // instance (nothing in its memory) is still the counted one, from the vote.
  const stack = await startStack({ config: { ADMIN_TOKEN } });
  t.teardown(() => stack.close());
  const [, alice, bob] = stack.wallets as any[];
  const token = stack.token.target as string;
  const reputation = {
    name: 'reputation-weighted',
    params: { stake: { name: 'token-weighted', params: { address: token } }, source: { kind: 'ledger' }, pointValue: TOKEN.toString() },
  };
  t.equal((await createSpace(stack, 'one', { strategies: [reputation] })).status, 200);
  t.equal((await createSpace(stack, 'two', { strategies: [reputation, { name: 'token-weighted', params: { address: token } }] })).status, 200);
  const grant = (space: string, address: string, delta: string, at: Date) =>
    stack.app.inject({
      method: 'POST',
      url: `/api/admin/spaces/${space}/reputation`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { address, delta, reason: 'x', at: at.toISOString() },
    });
  // createProposal mines one block and takes the one before it: the latest block now is the snapshot.
  const snapshotTime = (await stack.chain.provider.getBlock(await latestBlock(stack)))!.timestamp;
  const beforeSnapshot = new Date((snapshotTime - 10) * 1000);
  t.equal((await grant('one', alice.address, '7', beforeSnapshot)).statusCode, 200);
  const one = await createProposal(stack, 'Counted power in one', { space: 'one', author: alice });

  const vote = async (space: string, proposal: string, wallet: any) => {
    const response = await stack.submit(
      await stack.sign(wallet, 'Vote', { from: wallet.address, space, proposal, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' }),
    );
    t.equal(response.status, 200, `vote in ${space}: ${response.body.code ?? 'accepted'}`);
  };
  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  t.teardown(() => db.end());
  const storedPowers = async (proposal: string) =>
    (await db.query<{ address: string; by_strategy: string[] }>('SELECT address, by_strategy FROM voting_powers WHERE proposal_id = $1', [proposal])).rows;

  await vote('one', one, alice);
  t.same(await storedPowers(one), [], 'one strategy: no voting_powers row');
  t.equal((await grant('one', alice.address, '50', beforeSnapshot)).statusCode, 200, 'a back-dated entry after the vote');
  const second = await stack.startApp();
  const power = (await stack.get(`/api/proposals/${one}/power/${alice.address}`, second)).body;
  t.equal(power.power, (107n * TOKEN).toString(), 'the second instance reads the counted power from the vote: 100 staked + 7 points');
  t.same(power.byStrategy, [(107n * TOKEN).toString()]);

  const two = await createProposal(stack, 'Counted power in two', { space: 'two', author: alice });
  await vote('two', two, bob);
  const rows = await storedPowers(two);
  t.equal(rows.length, 1, 'several strategies: the voter has a voting_powers row');
  t.same(rows[0]!.by_strategy, [(50n * TOKEN).toString(), (50n * TOKEN).toString()], 'holding the breakdown per strategy');
});

t.test('admin endpoints are off without ADMIN_TOKEN', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const response = await stack.app.inject({
    method: 'POST',
    url: '/api/admin/spaces/guild/reputation',
    payload: { address: stack.wallets[1]!.address, delta: '1', reason: 'x' },
  });
  t.equal(response.statusCode, 404);
  t.equal(response.json().code, 'ADMIN_DISABLED');
});
