/**
 * Hardening, input side (issue 14, breaks 1-3, 7, 9, 10): one voter's bad item never fails another
 * voter's vote (neither at the HTTP edge nor inside the group-commit writer), unsigned fields are
 * refused and never published as signed, text PostgreSQL cannot store is a 400 naming the field on
 * every input path, admin requests are authenticated before they are validated, choices, cursors and
 * character limits behave as documented.
 */
import t, { type Test } from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { Wallet } from 'ethers';
import { createSpace, latestBlock, spaceSettings, startStack, TOKEN, waitFor } from '../helpers/stack.js';
import { nowSeconds, proposalMessage } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { VoteWriter, type VoteWrite } from '../../server/votes/vote-writer.js';
import { ReceiptSigner } from '../../server/messages/receipt.js';
import { parseChoice } from '../../server/tally/choice.js';
import type { MessageByType } from '../../server/eip712/types.js';

const holders: Record<number, bigint> = {};
for (let i = 1; i <= 17; i++) holders[i] = BigInt(i) * TOKEN;
const ADMIN_TOKEN = 'hardening-admin-token-0123456789';
const stack = await startStack({ holders, config: { ADMIN_TOKEN } });
const db = new pg.Client({ connectionString: stack.db.url });
await db.connect();
t.teardown(async () => {
  await db.end();
  await stack.close();
});
const wallets = stack.wallets as Wallet[];
const admin = wallets[0]!;

async function counts(): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM signed_messages)::int AS signed_messages, (SELECT count(*) FROM votes)::int AS votes,
            (SELECT count(*) FROM proposals)::int AS proposals, (SELECT count(*) FROM spaces)::int AS spaces`,
  );
  return rows[0];
}

type Response = { status: number; body: any };
async function refused(t: Test, what: string, send: () => Promise<Response>, status: number, code: string, message: RegExp): Promise<Response> {
  const before = await counts();
  const response = await send();
  t.equal(response.status, status, `${what}: HTTP ${status} (${JSON.stringify(response.body).slice(0, 300)})`);
  t.equal(response.body?.code, code, `${what}: code ${code}`);
  t.match(response.body?.message, message, `${what}: the message names the field`);
  t.same(await counts(), before, `${what}: nothing stored`);
  return response;
}

const inject = async (options: import('fastify').InjectOptions): Promise<Response> => {
  const response = await stack.app.inject(options);
  return { status: response.statusCode, body: response.json() };
};
const raw = (url: string, payload: string) => () => inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });

const longStage = { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 };
const created = await createSpace(stack, 'main', { executor: admin.address, temperature: longStage });
if (created.status !== 200) throw new Error(`space setup failed: ${JSON.stringify(created.body)}`);
await mineBlocks(stack.chain.provider, 1);
const snapshot = (await latestBlock(stack)) - 1;

const proposal = await stack.submit(await stack.sign(wallets[17]!, 'Proposal', proposalMessage(wallets[17]!, 'main', snapshot)));
if (proposal.status !== 200) throw new Error(`proposal setup failed: ${JSON.stringify(proposal.body)}`);
const proposalId = proposal.body.id as string;

const vote = (index: number, overrides: Partial<MessageByType['Vote']> = {}) =>
  stack.sign(wallets[index]!, 'Vote', {
    from: wallets[index]!.address,
    space: 'main',
    proposal: proposalId,
    stage: 1,
    timestamp: nowSeconds(),
    choice: '1',
    reason: '',
    ...overrides,
  });

// ---------------------------------------------------------------------------------------------
// 1. One voter's bad item never fails other voters' votes
// ---------------------------------------------------------------------------------------------

t.test('a batch of good votes and one item with a NUL in an unsigned field: every good vote is written', async (t) => {
  const good = await Promise.all(Array.from({ length: 16 }, (_, i) => vote(i + 1, { reason: 'batch' })));
  const bad = { ...(await vote(17, { reason: 'batch' })), payload: { targets: ['\u0000'], values: [], calldatas: [] } };
  const response = await inject({ method: 'POST', url: '/api/messages/batch', payload: [...good.slice(0, 8), bad, ...good.slice(8)] });
  t.equal(response.status, 200, JSON.stringify(response.body).slice(0, 300));
  const results = response.body.results as any[];
  const bads = results.filter((r) => !r.ok);
  t.equal(results.filter((r) => r.ok).length, 16, 'all 16 good votes were accepted');
  t.equal(bads.length, 1);
  t.equal(results[8].ok, false, 'the bad item is refused');
  t.equal(results[8].status, 400);
  t.equal(results[8].code, 'INVALID_CHARACTER');
  t.match(results[8].message, /body\/payload\/targets\/0: contains a NUL/);
  const stored = await db.query(`SELECT count(*)::int AS n FROM votes WHERE proposal_id = $1 AND reason = 'batch'`, [proposalId]);
  t.equal(stored.rows[0].n, 16, 'the 16 good votes are stored');
});

t.test('good votes sent concurrently with NUL items from other voters all succeed', async (t) => {
  const good = await Promise.all(Array.from({ length: 16 }, (_, i) => vote(i + 1, { reason: 'concurrent', timestamp: nowSeconds() + 1 })));
  const bad = await Promise.all(Array.from({ length: 4 }, async () => ({ ...(await vote(17, { reason: 'concurrent' })), payload: { x: 'a\u0000b' } })));
  const responses = await Promise.all([...good, ...bad].map((envelope) => stack.submit(envelope)));
  t.same(
    responses.slice(0, 16).map((r) => r.status),
    Array(16).fill(200),
    'every good vote: 200',
  );
  t.same(
    responses.slice(16).map((r) => r.body.code),
    Array(4).fill('INVALID_CHARACTER'),
    'every bad item: 400 INVALID_CHARACTER',
  );
});

t.test('the group-commit writer: a value only PostgreSQL refuses fails only the vote that carries it', async (t) => {
  const pool = new pg.Pool({ connectionString: stack.db.url, max: 2 });
  t.teardown(() => pool.end());
  const writer = new VoteWriter(pool, new ReceiptSigner().signDigest);
  const receivedAt = new Date();
  const write = (i: number, envelope: string): VoteWrite => {
    const id = `0x${randomBytes(32).toString('hex')}`;
    return {
      proposalId,
      spaceId: 'main',
      stage: 1,
      openState: 'temperature',
      voter: `0x${randomBytes(20).toString('hex')}`,
      messageId: id,
      choice: 1,
      reason: `writer-${i}`,
      timestamp: String(nowSeconds()),
      power: 1n,
      powerByStrategy: [1n],
      receivedAt,
      envelope,
      signature: '0x',
      sigKind: 'eoa',
      sigBlock: null,
    };
  };
  // jsonb refuses the \u0000 escape: the shared statement of the whole group fails on it.
  const writes = Array.from({ length: 20 }, (_, i) => write(i, i === 7 ? '{"x":"\\u0000"}' : '{"x":"ok"}'));
  const outcomes = await Promise.allSettled(writes.map((w) => writer.write(w)));
  t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 19, 'the 19 good writes committed');
  t.equal(outcomes[7]!.status, 'rejected', 'the write with the refused value failed');
  const stored = await db.query(`SELECT count(*)::int AS n FROM votes WHERE proposal_id = $1 AND reason LIKE 'writer-%'`, [proposalId]);
  t.equal(stored.rows[0].n, 19);
});

// ---------------------------------------------------------------------------------------------
// 2. Unsigned fields
// ---------------------------------------------------------------------------------------------

t.test('a payload is refused beside anything but a Proposal, and never published inside the signed envelope', async (t) => {
  const payload = { targets: [stack.token.target as string], values: ['0'], calldatas: ['0x'] };
  await refused(t, 'a Vote with a payload', async () => stack.submit({ ...(await vote(1)), payload }), 400, 'INVALID_ENVELOPE', /payload/);
  const space = await stack.sign(admin, 'Space', { from: admin.address, space: 'other', timestamp: nowSeconds(), settings: '{}' });
  await refused(t, 'a Space with a payload', async () => stack.submit({ ...space, payload }), 400, 'INVALID_ENVELOPE', /payload/);

  const executable = await stack.sign(
    wallets[16]!,
    'Proposal',
    proposalMessage(wallets[16]!, 'main', snapshot, {
      title: 'Executable',
      execution: 'timelock',
      votingType: 'basic',
      choices: ['For', 'Against', 'Abstain'],
      payloadHash: hashPayload(payload),
    }),
    { payload },
  );
  const accepted = await stack.submit(executable);
  t.equal(accepted.status, 200, JSON.stringify(accepted.body));
  const served = await stack.get(`/api/messages/${accepted.body.id}`);
  t.equal(served.status, 200);
  t.same(Object.keys(served.body.envelope).sort(), ['address', 'data', 'sig'], 'the envelope holds what was signed and nothing else');
  t.same(served.body.envelope.data, executable.data);
  t.same(served.body.payload, payload, 'the payload is published beside it');
  const aVote = await stack.submit(await vote(2, { reason: 'plain', timestamp: nowSeconds() + 2 }));
  t.equal((await stack.get(`/api/messages/${aVote.body.id}`)).body.payload, null, 'a vote has no payload');
});

// ---------------------------------------------------------------------------------------------
// 3. Text PostgreSQL cannot store, values out of range, deep nesting: 400, not 500
// ---------------------------------------------------------------------------------------------

t.test('NUL and lone surrogates: 400 naming the field on every input path', async (t) => {
  const settings = (name: string) => JSON.stringify({ name, chainId: stack.chain.chainId });
  for (const [what, name] of [
    ['NUL', 'a\u0000b'],
    ['lone surrogate', 'a\ud800b'],
  ] as const) {
    const space = await stack.sign(admin, 'Space', { from: admin.address, space: 'other', timestamp: nowSeconds(), settings: settings(name) });
    await refused(t, `${what} inside the settings JSON`, () => stack.submit(space), 400, 'INVALID_SETTINGS', /settings\/name: contains/);
  }
  // The same inside the body itself (escaped in the JSON text).
  await refused(
    t,
    'NUL in a signed field',
    raw('/api/messages', '{"address":"0x00","sig":"0x","data":{"message":{"title":"a\\u0000"}}}'),
    400,
    'INVALID_MESSAGE',
    /\/message\/title: contains a NUL/,
  );
  await refused(
    t,
    'lone surrogate in a signed field',
    raw('/api/messages', '{"address":"0x00","sig":"0x","data":{"message":{"reason":"\\udc00"}}}'),
    400,
    'INVALID_MESSAGE',
    /\/message\/reason: contains an unpaired UTF-16 surrogate/,
  );
  await refused(
    t,
    'lone surrogate elsewhere in the body',
    raw('/api/messages', '{"address":"0x00","sig":"\\ud800"}'),
    400,
    'INVALID_CHARACTER',
    /body\/sig: contains an unpaired UTF-16 surrogate/,
  );
  await refused(t, 'NUL in a key', raw('/api/messages', '{"a\\u0000":1}'), 400, 'INVALID_CHARACTER', /body\/a/);
  await refused(
    t,
    'NUL in a payload',
    async () =>
      stack.submit({ ...(await stack.sign(wallets[16]!, 'Proposal', proposalMessage(wallets[16]!, 'main', snapshot))), payload: { targets: ['\u0000'] } }),
    400,
    'INVALID_CHARACTER',
    /body\/payload\/targets\/0/,
  );
  for (const url of [
    '/api/spaces/%00',
    '/api/spaces?parent=%00',
    '/api/proposals?space=%00',
    '/api/ideas?space=%00',
    '/api/spaces/%00/history',
    `/api/proposals/${proposalId}/votes?cursor=%00`,
  ]) {
    const response = await stack.get(url);
    t.equal(response.status, 400, `GET ${url}: 400 (${JSON.stringify(response.body)})`);
    t.equal(response.body.code, 'INVALID_CHARACTER', `GET ${url}: INVALID_CHARACTER`);
    t.match(response.body.message, /^(params|query)\/\w+: contains a NUL/, `GET ${url}: names the parameter`);
  }
  // UTF-8 cannot carry a lone surrogate: the query parser never yields one, and the request is no 500.
  const surrogate = await stack.get('/api/proposals?space=%ED%A0%80');
  t.ok(surrogate.status < 500, `an encoded lone surrogate in the query: not a 500 (${surrogate.status})`);
});

t.test('a payload value above 2^256-1 and a payload nested 12,000 deep: 400', async (t) => {
  const huge = (1n << 256n).toString();
  const payload = { targets: [stack.token.target as string], values: [huge], calldatas: ['0x'] };
  const message = proposalMessage(wallets[16]!, 'main', snapshot, {
    title: 'Huge',
    execution: 'timelock',
    votingType: 'basic',
    choices: ['For', 'Against', 'Abstain'],
    payloadHash: `0x${'11'.repeat(32)}`,
  });
  await refused(
    t,
    'value 2^256',
    async () => stack.submit(await stack.sign(wallets[16]!, 'Proposal', message, { payload })),
    400,
    'INVALID_PAYLOAD',
    /payload.values\[0\] exceeds the uint256 maximum/,
  );
  const signed = await stack.sign(wallets[16]!, 'Proposal', message);
  const deep = `${'['.repeat(12_000)}${']'.repeat(12_000)}`;
  const body = JSON.stringify({ ...signed, payload: '__DEEP__' }).replace('"__DEEP__"', `{"targets":${deep},"values":[],"calldatas":[]}`);
  await refused(t, 'payload 12,000 deep', raw('/api/messages', body), 400, 'JSON_TOO_DEEP', /body\/payload\/targets\/0\/0.*: is nested deeper than 32 levels/);
  const deepBatch = `[${body}]`;
  const batch = await raw('/api/messages/batch', deepBatch)();
  t.equal(batch.status, 200);
  t.equal(batch.body.results[0].code, 'JSON_TOO_DEEP', 'a deep batch item is refused on its own');
  const deepSettings = await stack.sign(admin, 'Space', { from: admin.address, space: 'other', timestamp: nowSeconds(), settings: `{"name":${deep}}` });
  await refused(t, 'settings 12,000 deep', () => stack.submit(deepSettings), 400, 'INVALID_SETTINGS', /settings\/name.*: is nested deeper/);
});

// ---------------------------------------------------------------------------------------------
// 7. Admin: authenticate first; the scheme is case-insensitive
// ---------------------------------------------------------------------------------------------

t.test('admin requests are authenticated before they are validated', async (t) => {
  const noToken = await inject({ method: 'POST', url: '/api/admin/spaces/main/reputation', payload: { nonsense: true } });
  t.equal(noToken.status, 401, 'a bad body without a token: 401, not 400');
  t.equal(noToken.body.code, 'UNAUTHORIZED');
  const badParams = await inject({ method: 'GET', url: '/api/admin/executions/not-an-id' });
  t.equal(badParams.status, 401, 'bad params without a token: 401');
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
    const ok = await inject({
      method: 'POST',
      url: '/api/admin/spaces/main/reputation',
      headers: { authorization: `${scheme} ${ADMIN_TOKEN}` },
      payload: { nonsense: true },
    });
    t.equal(ok.status, 400, `${scheme}: authenticated, then the body is validated`);
  }
  const wrong = await inject({ method: 'GET', url: '/api/admin/executions', headers: { authorization: `bearer ${ADMIN_TOKEN}x` } });
  t.equal(wrong.status, 401, 'a wrong token is still refused');
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const signal = await inject({ method: 'GET', url: `/api/admin/executions/${proposalId}`, headers: auth });
  t.equal(signal.status, 404, 'a signal proposal has no execution: 404');
  t.equal(signal.body.code, 'EXECUTION_NOT_FOUND');
});

// ---------------------------------------------------------------------------------------------
// 9, 10. Choices, cursors, character limits
// ---------------------------------------------------------------------------------------------

t.test('choices: JSON whitespace is allowed, anything that is not JSON integers is not (server/tally/README.md)', async (t) => {
  t.equal(parseChoice('single-choice', ' 1', 3), 1);
  t.equal(parseChoice('single-choice', '1\n', 3), 1);
  t.same(parseChoice('approval', '[1, 3]', 3), [1, 3]);
  t.same(parseChoice('weighted', '{ "1" : 2 }', 3), { 1: 2 });
  for (const bad of ['\u00a01', '1\u2028', '\ufeff1', '+1', '0x1', '"1"', '1 1', '[1,]', '{"1":2,}', '{"\\u0031":2}', '[1,3]x']) {
    // Named by its code points: a raw U+2028 in a test name would break the TAP line.
    const name = [...bad].map((c) => (c >= ' ' && c <= '~' ? c : `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)).join('');
    t.throws(
      () => parseChoice(bad.startsWith('{') ? 'weighted' : bad.startsWith('[') ? 'approval' : 'single-choice', bad, 3),
      { code: 'INVALID_CHOICE' },
      name,
    );
  }
});

t.test('an undecodable pagination cursor is a 400, not the first page', async (t) => {
  for (const cursor of [
    '!!!',
    'bm90LWpzb24',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["a","b","c"]').toString('base64url'),
    Buffer.from('["x","y"]').toString('base64url'),
  ]) {
    for (const url of [
      `/api/spaces?cursor=${cursor}`,
      `/api/proposals?cursor=${cursor}`,
      `/api/proposals/${proposalId}/votes?cursor=${cursor}`,
      `/api/proposals/${proposalId}/messages?cursor=${cursor}`,
    ]) {
      const response = await stack.get(url);
      t.equal(response.status, 400, `${url}: 400`);
      t.equal(response.body.code, 'INVALID_CURSOR', `${url}: INVALID_CURSOR`);
    }
  }
  const first = await stack.get('/api/spaces?limit=1');
  t.equal(first.status, 200);
  const next = await stack.get(`/api/spaces?limit=1&cursor=${first.body.nextCursor ?? ''}`);
  t.equal(next.status, 200, 'a cursor the server issued still works');
});

t.test('the reason limit counts characters (code points), not UTF-16 units', async (t) => {
  const emoji = '\u{1F600}';
  const ok = await stack.submit(await vote(3, { reason: emoji.repeat(5000), timestamp: nowSeconds() + 3 }));
  t.equal(ok.status, 200, `5,000 emoji (10,000 UTF-16 units) are 5,000 characters (${JSON.stringify(ok.body)})`);
  await refused(
    t,
    '5,001 emoji',
    async () => stack.submit(await vote(3, { reason: emoji.repeat(5001), timestamp: nowSeconds() + 4 })),
    400,
    'REASON_TOO_LONG',
    /5000 characters/,
  );
});

t.test('webhook URLs aimed at loopback, private or metadata addresses are refused when the settings are saved', async (t) => {
  const withWebhook = async (url: string, space = 'hooks') =>
    stack.sign(admin, 'Space', {
      from: admin.address,
      space,
      timestamp: nowSeconds(),
      settings: JSON.stringify({ ...spaceSettings(stack), webhooks: [{ url }] }),
    });
  for (const url of [
    'https://127.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://10.1.2.3/hook',
    'https://localhost/hook',
    'http://8.8.8.8/hook',
    'https://user:pw@8.8.8.8/hook',
  ]) {
    await refused(t, url, async () => stack.submit(await withWebhook(url)), 400, 'INVALID_SETTINGS', /\/webhooks\/0\/url: webhook/);
  }
  const allowed = await stack.startApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  const saved = await stack.submit(await withWebhook('http://127.0.0.1:9/hook', 'hooks-dev'), allowed);
  t.equal(saved.status, 200, `WEBHOOK_ALLOW_PRIVATE_URLS=true accepts them (${JSON.stringify(saved.body)})`);
});

t.test('a closed ranked-choice tally keeps its rounds', async (t) => {
  const shortStage = { votingType: 'proposal', period: 2, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
  t.equal((await createSpace(stack, 'ranked', { temperature: shortStage })).status, 200);
  const created = await stack.submit(
    await stack.sign(wallets[15]!, 'Proposal', {
      ...proposalMessage(wallets[15]!, 'main', snapshot, { title: 'Ranked', votingType: 'ranked-choice', choices: ['A', 'B', 'C'] }),
      space: 'ranked',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id as string;
  const ballots: Array<[number, string]> = [
    [1, '[1,2,3]'],
    [2, '[2,1,3]'],
    [3, '[3,2,1]'],
    [4, '[3,1,2]'],
  ];
  for (const [index, choice] of ballots) {
    const response = await stack.submit(
      await stack.sign(wallets[index]!, 'Vote', {
        from: wallets[index]!.address,
        space: 'ranked',
        proposal: id,
        stage: 1,
        timestamp: nowSeconds(),
        choice,
        reason: '',
      }),
    );
    t.equal(response.status, 200, JSON.stringify(response.body));
  }
  const live = await stack.get(`/api/proposals/${id}/tally?stage=1`);
  t.ok(live.body.tally.rounds?.length >= 1, 'the live tally has rounds');
  const final = await waitFor(
    async () => {
      const r = await stack.get(`/api/proposals/${id}/tally?stage=1`);
      return r.body.final ? r : null;
    },
    20_000,
    200,
  );
  t.same(final.body.tally.rounds, live.body.tally.rounds, 'the closed tally keeps the same rounds');
  t.same(final.body.tally.scores, live.body.tally.scores);
});
