/**
 * Snapshot recency and proposal kinds (issue 18 items 1 and 2), against the real stack: settings
 * validated with the field named, a proposal naming its kind and running under the kind's rules,
 * payloads outside a kind's limits refused with the limit named, and a snapshot older than the
 * space allows refused naming the oldest allowed block (set explicitly, and the one-hour default).
 */
import t from 'tap';
import pg from 'pg';
import { Interface, type Wallet } from 'ethers';
import { createProposal, createSpace, latestBlock, spaceSettings, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { hashPayload, ZERO_HASH } from '../../core/proposals/payload.js';
import type { ExecutionPayload } from '../../core/proposals/repository.js';

const erc20 = new Interface(['function transfer(address to, uint256 amount)', 'function approve(address spender, uint256 amount)']);

const stack: TestStack = await startStack();
t.teardown(() => stack.close());
const [admin, alice] = [stack.wallets[0]!, stack.wallets[1]!];
const treasury = stack.wallets[9]!.address;
const grantee = stack.wallets[7]!.address;
const token = stack.token.target as string;
const grantQuorum = { kind: 'absolute', power: (30n * TOKEN).toString() };

const kinds = {
  grant: {
    description: 'Up to 20 BTK from the treasury',
    consensus: { votingType: 'basic', period: 600, quorum: grantQuorum, passThresholdBps: 5000 },
    execution: ['timelock'],
    payloadLimits: {
      maxOutflow: [{ token, amount: (20n * TOKEN).toString() }],
      allowedCalls: [{ target: token, selectors: ['transfer(address,uint256)'] }],
    },
  },
  signal: { execution: ['signal'], proposalGate: { kind: 'members' } },
};

async function saveSpace(id: string, overrides: Record<string, unknown>) {
  return stack.submit(
    await stack.sign(admin, 'Space', { from: admin.address, space: id, timestamp: nowSeconds(), settings: JSON.stringify(spaceSettings(stack, overrides)) }),
  );
}

async function propose(wallet: Wallet, overrides: { kind: string; space?: string; snapshot?: number; payload?: ExecutionPayload; execution?: string }) {
  const payload = overrides.payload;
  return stack.submit(
    await stack.sign(
      wallet,
      'Proposal',
      {
        from: wallet.address,
        space: overrides.space ?? 'kinds',
        timestamp: nowSeconds(),
        title: 'A proposal',
        body: '',
        discussion: '',
        choices: ['For', 'Against', 'Abstain'],
        votingType: 'basic',
        snapshot: overrides.snapshot ?? (await latestBlock(stack)) - 1,
        execution: overrides.execution ?? (payload ? 'timelock' : ''),
        payloadHash: payload ? hashPayload(payload) : ZERO_HASH,
        idea: '',
        kind: overrides.kind,
      },
      payload ? { payload } : {},
    ),
  );
}

const grant = (calls: { target?: string; value?: bigint; data: string }[]): ExecutionPayload => ({
  targets: calls.map((c) => c.target ?? token),
  values: calls.map((c) => String(c.value ?? 0n)),
  calldatas: calls.map((c) => c.data),
});
const transfer = (amount: bigint) => erc20.encodeFunctionData('transfer', [grantee, amount]);

// Setup outside any test (a failure here stops the file): a space without kinds and one with them.
for (const created of [await createSpace(stack, 'blocktrack'), await saveSpace('kinds', { executor: treasury, kinds, maxSnapshotAge: 5 })]) {
  if (created.status !== 200) throw new Error(`space: ${created.status} ${JSON.stringify(created.body)}`);
}
await mineBlocks(stack.chain.provider, 2);

t.test('the settings schema names the field of every bad new setting', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ maxSnapshotAge: 0 }, '/maxSnapshotAge'],
    [{ lateQuorumExtension: -1 }, '/lateQuorumExtension'],
    [{ kinds: { 'Grant!': {} } }, '/kinds/Grant!'],
    [{ kinds: {} }, '/kinds'],
    [{ kinds: { grant: { execution: ['airdrop'] } } }, '/kinds/grant/execution/0'],
    [{ kinds: { grant: { payloadLimits: { maxOutflow: [{ token, amount: '1.5' }] } } } }, '/kinds/grant/payloadLimits/maxOutflow/0/amount'],
    [
      {
        kinds: {
          grant: {
            payloadLimits: {
              maxOutflow: [
                { token, amount: '1' },
                { token: token.toLowerCase(), amount: '2' },
              ],
            },
          },
        },
      },
      '/kinds/grant/payloadLimits/maxOutflow',
    ],
    [
      { kinds: { grant: { payloadLimits: { allowedCalls: [{ target: token, selectors: ['transfer'] }] } } } },
      '/kinds/grant/payloadLimits/allowedCalls/0/selectors/0',
    ],
    [{ kinds: { grant: { consensus: { votingType: 'basic', period: 0, quorum: grantQuorum, passThresholdBps: 5000 } } } }, '/kinds/grant/consensus/period'],
  ];
  for (const [overrides, field] of cases) {
    const r = await saveSpace('bad-settings', overrides);
    t.equal(r.status, 400, field);
    t.equal(r.body.code, 'INVALID_SETTINGS', field);
    t.match(r.body.message, field, `the message names ${field}: ${r.body.message}`);
  }
  t.equal((await stack.get('/api/spaces/bad-settings')).status, 404, 'nothing stored');
});

t.test('a proposal names its kind and runs under its rules', async (t) => {
  const unknown = await propose(alice, { kind: 'default' });
  t.equal(unknown.status, 400);
  t.equal(unknown.body.code, 'UNKNOWN_KIND', 'a space with kinds has only those: no "default" to step around them');
  t.same(unknown.body.details.kinds, ['grant', 'signal']);

  const ok = await propose(alice, { kind: 'grant', payload: grant([{ data: transfer(20n * TOKEN) }]) });
  t.equal(ok.status, 200, JSON.stringify(ok.body));
  const proposal = (await stack.get(`/api/proposals/${ok.body.id}`)).body;
  t.equal(proposal.kind, 'grant');
  t.equal(proposal.consensus.quorum, grantQuorum.power, "the kind's consensus quorum");
  const rules = (await stack.get(`/api/proposals/${ok.body.id}/rules`)).body;
  t.equal(rules.kind.name, 'grant', 'the rules show the kind');
  t.same(rules.kind.definition.payloadLimits, kinds.grant.payloadLimits, "with the kind's limits");
  t.equal(rules.stages[1].quorumRule.power, grantQuorum.power);
  t.equal(rules.stages[1].period, 600, "the kind's consensus period");
  t.equal(rules.stages[0].period, 10, 'the temperature check it leaves out comes from the space');

  // The kind's gate: signal proposals are for members, and Alice is none.
  const gated = await propose(alice, { kind: 'signal' });
  t.equal(gated.status, 403);
  t.equal(gated.body.code, 'NOT_A_MEMBER');
  t.equal((await propose(admin, { kind: 'signal' })).status, 200, 'an admin passes the members gate');
});

t.test("a payload outside its kind's limits is refused, naming the limit", async (t) => {
  const refusals: [string, ExecutionPayload | undefined, string, Record<string, unknown>][] = [
    ['a grant over its cap', grant([{ data: transfer(20n * TOKEN + 1n) }]), 'KIND_MAX_OUTFLOW_EXCEEDED', { limit: (20n * TOKEN).toString() }],
    [
      'two transfers adding up over the cap',
      grant([{ data: transfer(15n * TOKEN) }, { data: transfer(6n * TOKEN) }]),
      'KIND_MAX_OUTFLOW_EXCEEDED',
      { amount: (21n * TOKEN).toString() },
    ],
    ['ETH the kind does not list', grant([{ data: transfer(1n), value: 1n }]), 'KIND_MAX_OUTFLOW_EXCEEDED', { token: 'ETH', limit: '0' }],
    [
      'a function outside the allow-list',
      grant([{ data: erc20.encodeFunctionData('approve', [grantee, 1n]) }]),
      'KIND_SELECTOR_NOT_ALLOWED',
      { selector: '0x095ea7b3' },
    ],
    ['a target outside the allow-list', grant([{ target: grantee, data: transfer(1n) }]), 'KIND_TARGET_NOT_ALLOWED', { call: 0 }],
  ];
  for (const [what, payload, code, details] of refusals) {
    const r = await propose(alice, { kind: 'grant', ...(payload ? { payload } : {}) });
    t.equal(r.status, 400, what);
    t.equal(r.body.code, code, what);
    t.match(r.body.details, details, what);
  }
  const signalGrant = await propose(alice, { kind: 'grant' });
  t.equal(signalGrant.body.code, 'KIND_EXECUTION_NOT_ALLOWED', 'a grant must execute');
  const executableSignal = await propose(admin, { kind: 'signal', payload: grant([{ data: transfer(1n) }]) });
  t.equal(executableSignal.body.code, 'KIND_EXECUTION_NOT_ALLOWED', 'a signal kind runs nothing');
  const stored = (await stack.get('/api/proposals?space=kinds')).body.items.length;
  t.equal(stored, 2, 'nothing refused was stored');
});

t.test('a snapshot older than maxSnapshotAge is refused, naming the oldest allowed block', async (t) => {
  await mineBlocks(stack.chain.provider, 10);
  const latest = await latestBlock(stack);
  const old = await propose(alice, { kind: 'grant', snapshot: latest - 6, payload: grant([{ data: transfer(1n) }]) });
  t.equal(old.status, 400);
  t.equal(old.body.code, 'SNAPSHOT_TOO_OLD');
  t.match(old.body.message, `oldest allowed is block ${latest - 5}`);
  t.match(old.body.details, { snapshot: latest - 6, oldestAllowed: latest - 5, maxSnapshotAge: 5, latest });
  const edge = await propose(alice, { kind: 'grant', snapshot: latest - 5, payload: grant([{ data: transfer(1n) }]) });
  t.equal(edge.status, 200, 'the oldest allowed block itself is accepted');
});

t.test("without maxSnapshotAge, the chain's blocks in one hour", async (t) => {
  // 120 blocks a minute apart: the average block time is 60 s, so one hour is 60 blocks.
  await stack.chain.provider.send('hardhat_mine', ['0x78', '0x3c']);
  const latest = await latestBlock(stack);
  const refused = await propose(alice, { space: 'blocktrack', kind: 'default', snapshot: latest - 61 });
  t.equal(refused.status, 400);
  t.equal(refused.body.code, 'SNAPSHOT_TOO_OLD');
  t.match(refused.body.details, { oldestAllowed: latest - 60, maxSnapshotAge: 60, source: 'default: blocks in one hour' });
  t.equal((await propose(alice, { space: 'blocktrack', kind: 'default', snapshot: latest - 60 })).status, 200);
});

t.test('proposals created before kinds keep running as the default kind', async (t) => {
  const id = await createProposal(stack, 'Made before kinds');
  // What the migration leaves for an old row: the kind column's default, and rules without `kind`.
  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  t.teardown(() => db.end());
  await db.query(`UPDATE proposals SET rules = rules - 'kind' WHERE id = $1`, [id]);
  const { rows } = await db.query(`SELECT column_default FROM information_schema.columns WHERE table_name = 'proposals' AND column_name = 'kind'`);
  t.match(rows[0].column_default, /'default'/, 'rows from before the migration get "default"');
  const rules = (await stack.get(`/api/proposals/${id}/rules`)).body;
  t.same(rules.kind, { name: 'default', definition: {} });
  t.equal(rules.lateQuorumExtension, 0);
  t.equal((await stack.get(`/api/proposals/${id}`)).body.kind, 'default');
});
