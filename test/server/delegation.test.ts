/**
 * Off-chain delegation against the real stack (hardhat chain, PostgreSQL, Redis): Delegate,
 * Undelegate and DelegateStatement messages and every refusal (with nothing stored), power at a
 * proposal's snapshot with override in the live and the final tally, a cycle, the combination with
 * ERC20Votes on-chain delegation, and the read API.
 */
import t from 'tap';
import type { Contract, Wallet } from 'ethers';
import { mineBlocks } from '../../scripts/local-chain.js';
import { TOKEN, createProposal, createSpace, startStack, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import type { TestContext } from '../helpers/eip712.js';
import { findProposal } from '../../core/proposals/repository.js';
import { tallyStage, tallyToJson } from '../../server/votes/stage-tally.js';
import type { MessageByType } from '../../server/eip712/types.js';
import { handleDelegate } from '../../server/delegations/delegation-handler.js';
import { ReceiptSigner } from '../../server/messages/receipt.js';
import type { AppError } from '../../core/errors.js';

const stack: TestStack = await startStack({ holders: { 1: 100n * TOKEN, 2: 50n * TOKEN, 3: 25n * TOKEN, 4: 9n * TOKEN } });
t.teardown(() => stack.close());
const w = stack.wallets;
const addr = (i: number) => w[i]!.address.toLowerCase();
const pool = stack.app.db.pool;

/** Signed timestamps well before the snapshot blocks of the proposals below, increasing per message. */
let clock = nowSeconds() - 900;
const tick = () => ++clock;

const STAGE = { votingType: 'proposal', period: 900, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
t.test('spaces: one with delegation: "offchain", one without the setting (off)', async (t) => {
  t.equal((await createSpace(stack, 'blocktrack', { delegation: 'offchain', temperature: STAGE, consensus: { ...STAGE, votingType: 'basic' } })).status, 200);
  t.equal((await createSpace(stack, 'plain')).status, 200);
});

function delegate(wallet: Wallet, fields: Partial<MessageByType['Delegate']> & { delegates: string[]; shares: number[] }) {
  return stack.sign(wallet, 'Delegate', { from: wallet.address, space: 'blocktrack', timestamp: tick(), expiry: 0, ...fields });
}

async function counts() {
  const { rows } = await pool.query<{ d: number; m: number; s: number }>(
    `SELECT (SELECT count(*) FROM delegations)::int AS d, (SELECT count(*) FROM signed_messages)::int AS m, (SELECT count(*) FROM delegate_statements)::int AS s`,
  );
  return rows[0]!;
}

async function refused(t: TestContext, envelope: unknown, status: number, code: string) {
  const before = await counts();
  const response = await stack.submit(envelope);
  t.equal(response.status, status, `${code}: status ${status}`);
  t.equal(response.body.code, code, `${code}: ${response.body.message}`);
  t.same(await counts(), before, `${code}: nothing stored`);
}

t.test('Delegate, Undelegate, DelegateStatement: every refusal has its code and stores nothing', async (t) => {
  const me = w[9]!;
  const many = Array.from({ length: 21 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, 'a')}`);
  await refused(t, await delegate(me, { delegates: [w[6]!.address, w[7]!.address], shares: [6000, 5000] }), 400, 'SHARES_OVER_LIMIT');
  await refused(t, await delegate(me, { delegates: [w[6]!.address, w[6]!.address.toLowerCase()], shares: [10, 10] }), 400, 'DUPLICATE_DELEGATE');
  await refused(t, await delegate(me, { delegates: [me.address], shares: [10_000] }), 400, 'SELF_DELEGATION');
  await refused(t, await delegate(me, { delegates: many, shares: many.map(() => 1) }), 400, 'TOO_MANY_DELEGATES');
  await refused(t, await delegate(me, { delegates: [w[6]!.address], shares: [] }), 400, 'SHARES_MISMATCH');
  await refused(t, await delegate(me, { delegates: [w[6]!.address], shares: [0] }), 400, 'INVALID_SHARE');
  await refused(t, await delegate(me, { delegates: [], shares: [] }), 400, 'NO_DELEGATES');
  await refused(t, await delegate(me, { delegates: [w[6]!.address], shares: [10_000], expiry: nowSeconds() - 1 }), 400, 'EXPIRY_IN_PAST');
  await refused(t, await delegate(me, { delegates: [w[6]!.address], shares: [10_000], space: 'nowhere' }), 404, 'SPACE_NOT_FOUND');
  await refused(t, await delegate(me, { delegates: [w[6]!.address], shares: [10_000], space: 'plain' }), 409, 'DELEGATION_OFF');
  await refused(
    t,
    await stack.sign(me, 'Delegate', {
      from: me.address,
      space: 'blocktrack',
      timestamp: nowSeconds() - 7200,
      delegates: [w[6]!.address],
      shares: [1],
      expiry: 0,
    }),
    400,
    'TIMESTAMP_OUT_OF_WINDOW',
  );
  await refused(t, await stack.sign(me, 'Undelegate', { from: me.address, space: 'blocktrack', timestamp: tick() }), 409, 'NOT_DELEGATED');

  const accepted = await delegate(me, { delegates: [w[6]!.address], shares: [10_000] });
  t.equal((await stack.submit(accepted)).status, 200, 'a valid Delegate is accepted');
  await refused(t, accepted, 409, 'DUPLICATE');
  await refused(
    t,
    await stack.sign(me, 'Delegate', { from: me.address, space: 'blocktrack', timestamp: clock - 5, delegates: [w[7]!.address], shares: [1], expiry: 0 }),
    409,
    'STALE_MESSAGE',
  );
  const undelegate = await stack.sign(me, 'Undelegate', { from: me.address, space: 'blocktrack', timestamp: tick() });
  t.equal((await stack.submit(undelegate)).status, 200, 'Undelegate ends it');
  await refused(t, await stack.sign(me, 'Undelegate', { from: me.address, space: 'blocktrack', timestamp: tick() }), 409, 'NOT_DELEGATED');
  t.same((await stack.get(`/api/delegations/${me.address}`)).body.items, [], 'no current delegation after Undelegate');

  const statement = (fields: Partial<MessageByType['DelegateStatement']>) =>
    stack.sign(me, 'DelegateStatement', { from: me.address, space: 'blocktrack', timestamp: tick(), statement: 'I vote on everything.', links: [], ...fields });
  await refused(t, await statement({ statement: 'x'.repeat(5001) }), 400, 'STATEMENT_TOO_LONG');
  await refused(t, await statement({ links: ['javascript:alert(1)'] }), 400, 'INVALID_LINK');
  await refused(t, await statement({ links: Array.from({ length: 6 }, (_, i) => `https://example.org/${i}`) }), 400, 'TOO_MANY_LINKS');
  await refused(t, await statement({ space: 'nowhere' }), 404, 'SPACE_NOT_FOUND');
  t.equal((await stack.submit(await statement({ links: ['https://forum.example.org/t/1'] }))).status, 200, 'a statement is accepted');
  await refused(
    t,
    await stack.sign(me, 'DelegateStatement', { from: me.address, space: 'blocktrack', timestamp: clock - 1, statement: 'old', links: [] }),
    409,
    'STALE_MESSAGE',
  );
});

let proposalId = '';

t.test('power at the snapshot: shares, space over global, override in live and final tallies', async (t) => {
  // #3 (25) lends all to #6 (no tokens) in this space; #4 (9) lends half to #6 and a quarter to #2, globally.
  // #1 (100) lends globally to #7 but overrides it with a space delegation of 30 % to #6.
  for (const envelope of [
    await delegate(w[3]!, { delegates: [w[6]!.address], shares: [10_000] }),
    await delegate(w[4]!, { space: '', delegates: [w[6]!.address, w[2]!.address], shares: [5000, 2500] }),
    await delegate(w[1]!, { space: '', delegates: [w[7]!.address], shares: [10_000] }),
    await delegate(w[1]!, { delegates: [w[6]!.address], shares: [3000] }),
  ]) {
    const answer = await stack.submit(envelope);
    t.equal(answer.status, 200, JSON.stringify(answer.body));
  }
  await mineBlocks(stack.chain.provider, 2);
  proposalId = await createProposal(stack, 'with delegation');

  const explain = async (i: number) => (await stack.get(`/api/proposals/${proposalId}/power/${w[i]!.address}`)).body;
  const six = await explain(6);
  t.equal(six.own.total, '0');
  t.equal(six.power, '0', 'power stays the own power (what a vote stores)');
  t.equal(six.receivedTotal.total, (25n * TOKEN + (45n * TOKEN) / 10n + 30n * TOKEN).toString(), '#6 receives 25 + 4.5 + 30');
  t.same(six.received.map((r: { delegator: string }) => r.delegator).sort(), [addr(1), addr(3), addr(4)].sort());
  const one = await explain(1);
  t.equal(one.givenTotal.total, (30n * TOKEN).toString(), "#1's space delegation replaces its global one");
  t.equal(one.effective.total, (70n * TOKEN).toString());
  t.equal((await explain(7)).receivedTotal.total, '0', '#7 gets nothing here: the space delegation overrides');
  const four = await explain(4);
  t.same(four.given.map((g: { bps: number }) => g.bps).sort(), [2500, 5000]);
  t.equal(four.effective.total, ((9n * TOKEN) / 4n).toString(), '#4 keeps the quarter it did not give');

  let voteClock = nowSeconds();
  const vote = (i: number, choice: number) =>
    stack
      .sign(w[i]!, 'Vote', {
        from: w[i]!.address,
        space: 'blocktrack',
        proposal: proposalId,
        stage: 1,
        timestamp: ++voteClock,
        choice: String(choice),
        reason: '',
      })
      .then((envelope) => stack.submit(envelope));
  const proposal = (await findProposal(pool, proposalId))!;
  /** Scores in hundredths of a token, after checking that the live tally equals a recount of the database. */
  const scores = async () => {
    const final = tallyToJson(await tallyStage(pool, proposal, 1));
    const live = await waitFor(async () => {
      const current = stack.app.gov.liveTally.current(proposalId, 1);
      return current && JSON.stringify(current) === JSON.stringify(final) && current;
    });
    t.same(live, final, 'the live tally equals a recount of the database');
    return final.scores.map((s: string) => BigInt(s) / (TOKEN / 100n));
  };

  t.equal((await vote(8, 1)).body.code, 'ZERO_POWER', 'no own and no delegated power: refused');
  t.equal((await vote(6, 1)).status, 200, '#6 votes with delegated power only');
  t.same(await scores(), [5950n, 0n, 0n], 'For: 25 + 4.5 + 30');
  t.equal((await vote(3, 2)).status, 200);
  t.same(await scores(), [3450n, 2500n, 0n], "#3 overrides: its 25 counts Against and leaves #6's count");
  t.equal((await vote(2, 3)).status, 200);
  t.same(await scores(), [3450n, 2500n, 5225n], '#2 counts own 50 + 2.25 from #4');
  t.equal((await vote(4, 1)).status, 200);
  t.same(await scores(), [3900n, 2500n, 5000n], "#4 votes For with its 9; its shares leave #6's and #2's counts");
  t.equal((await vote(1, 2)).status, 200);
  t.same(await scores(), [900n, 12500n, 5000n], "#1 overrides: 100 Against, its 30 leave #6's count");
  t.equal((await vote(6, 3)).status, 200, '#6 may still change its vote');
  t.same(await scores(), [900n, 12500n, 5000n], 'every delegator of #6 voted: its vote carries nothing');
  t.equal(
    (await stack.get(`/api/proposals/${proposalId}/tally?stage=1`)).body.tally.totalPower,
    (18_400n * (TOKEN / 100n)).toString(),
    'total = Σ own power of the voters',
  );
});

t.test('a delegation that arrived before a resolved proposal was created is refused (it would change its power afterwards)', async (t) => {
  const proposal = (await findProposal(pool, proposalId))!;
  const before = await counts();
  const submission = {
    primaryType: 'Delegate' as const,
    message: { from: w[9]!.address, space: 'blocktrack', timestamp: tick(), delegates: [w[7]!.address], shares: [10_000], expiry: 0 },
    from: addr(9),
    id: `0x${'5a'.repeat(32)}`,
    signature: '0x',
    envelope: {},
    unsigned: {},
    signDigest: new ReceiptSigner().signDigest,
    // As if the request had arrived just before the proposal was created and its transaction ran after the snapshot was read.
    receivedAt: new Date(proposal.createdAt.getTime() - 1000),
    sigKind: 'eoa' as const,
    sigBlock: null,
  };
  const error = await handleDelegate(submission, pool).then(
    () => null,
    (e: unknown) => e as AppError,
  );
  t.equal(error?.code, 'DELEGATION_RACE');
  t.equal(error?.retryable, true, 'retryable: posted again, it arrives after the proposal and is accepted');
  t.same(await counts(), before, 'nothing stored');
});

t.test('a delegation cycle cannot change power', async (t) => {
  // #2 → #3 and #3 → #2, all of it, in a space of their own.
  t.equal((await createSpace(stack, 'cycle', { delegation: 'offchain', temperature: STAGE })).status, 200);
  for (const [from, to] of [
    [2, 3],
    [3, 2],
  ] as const) {
    const answer = await stack.submit(await delegate(w[from]!, { space: 'cycle', delegates: [w[to]!.address], shares: [10_000] }));
    t.equal(answer.status, 200);
  }
  await mineBlocks(stack.chain.provider, 2);
  const alice = w[1]!;
  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await stack.chain.provider.getBlockNumber()) - 1;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'cycle',
      timestamp: nowSeconds(),
      title: 'cycle',
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: '',
      payloadHash: `0x${'00'.repeat(32)}`,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id as string;
  const effective = async (i: number) => BigInt((await stack.get(`/api/proposals/${id}/power/${w[i]!.address}`)).body.effective.total);
  // #4's global delegation (2.25 to #2, 4.5 to #6) and #1's (all to #7) count here too.
  t.equal(await effective(2), 2725n * (TOKEN / 100n), "#2 holds #3's 25 (+ 2.25 from #4), not its own 50 passed back");
  t.equal(await effective(3), 50n * TOKEN, "#3 holds #2's 50 and nothing more");
  let sum = 0n;
  for (const i of [1, 2, 3, 4, 6, 7]) sum += await effective(i);
  t.equal(sum, 184n * TOKEN, 'Σ effective = Σ own (100 + 50 + 25 + 9): the cycle neither creates nor loses power');
});

t.test('ERC20Votes: a holder who delegated on chain and off chain is not counted twice', async (t) => {
  // #10 gets 40 tokens and delegates them on chain to #11 (getPastVotes moves them there), then signs
  // an off-chain delegation of everything to #12: its own power at the snapshot is 0, so #12 gets 0.
  const token = stack.token;
  await (await token.getFunction('mint')(w[10]!.address, 40n * TOKEN)).wait();
  await (await (token.connect(w[10]!) as Contract).getFunction('delegate')(w[11]!.address)).wait();
  t.equal((await stack.submit(await delegate(w[10]!, { delegates: [w[12]!.address], shares: [10_000] }))).status, 200);
  await mineBlocks(stack.chain.provider, 2);
  const id = await createProposal(stack, 'both ways');
  const body = async (i: number) => (await stack.get(`/api/proposals/${id}/power/${w[i]!.address}`)).body;
  t.equal((await body(10)).own.total, '0', "the holder's votes are with its on-chain delegate");
  t.equal((await body(11)).own.total, (40n * TOKEN).toString(), 'the on-chain delegate counts the 40');
  t.equal((await body(12)).receivedTotal.total, '0', 'the off-chain delegate receives nothing: nothing is counted twice');
});

t.test('the read API: delegates ranked, a holder’s delegations', async (t) => {
  const ranked = await stack.get(`/api/spaces/blocktrack/delegates?proposal=${proposalId}`);
  t.equal(ranked.status, 200);
  const first = ranked.body.items[0];
  t.equal(first.address, addr(6), '#6 leads by received power');
  t.equal(first.received, ((595n * TOKEN) / 10n).toString());
  t.equal(first.delegators, 3);
  t.same(first.participation, { proposals: 2, voted: 1 }, 'two proposals of the space since its first delegation, voted on one');
  const one = await stack.get(`/api/spaces/blocktrack/delegates/${w[9]!.address}?proposal=${proposalId}`);
  t.equal(one.body.delegate.statement.links[0], 'https://forum.example.org/t/1', "a delegate's page shows their statement");
  t.same(one.body.delegators, [], '#9 received nothing');
  const six = await stack.get(`/api/spaces/blocktrack/delegates/${w[6]!.address}?proposal=${proposalId}`);
  t.same(
    six.body.delegators.map((d: { address: string; bps: number }) => [d.address, d.bps]),
    [
      [addr(1), 3000],
      [addr(3), 10_000],
      [addr(4), 5000],
    ],
    "#6's delegators, largest share of power first",
  );
  const statements = await stack.get('/api/spaces/blocktrack/delegates');
  t.equal(statements.status, 200, 'the default is the latest proposal with delegation');
  const mine = await stack.get(`/api/delegations/${w[1]!.address}`);
  t.same(
    mine.body.items.map((d: { space: string | null; delegates: { bps: number }[] }) => [d.space, d.delegates[0]!.bps]),
    [
      [null, 10_000],
      ['blocktrack', 3000],
    ],
    'the global and the space delegation of #1',
  );
  t.equal((await stack.get('/api/spaces/nowhere/delegates')).status, 404);
});
