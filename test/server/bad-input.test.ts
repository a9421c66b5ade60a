/**
 * Bad input, case by case, on one real stack: every refusal is a 4xx with a machine-readable code
 * and a message naming the problem, and nothing is stored (signed_messages, votes, proposals,
 * spaces and space_changes are counted before and after each case). Also: Redis-backed HTTP rate
 * limits shared by two instances, and the WebSocket limits.
 */
import t, { type Test } from 'tap';
import { once } from 'node:events';
import pg from 'pg';
import WebSocket from 'ws';
import { concat, keccak256, Signature, toBeHex, type Wallet } from 'ethers';
import type { FastifyInstance } from 'fastify';
import { createSpace, latestBlock, spaceSettings, startStack, TOKEN, waitFor } from '../helpers/stack.js';
import { nowSeconds, proposalMessage, testDomain, type Envelope } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { hashPayload } from '../../core/proposals/payload.js';
import type { MessageByType, PrimaryType } from '../../server/eip712/types.js';

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const stack = await startStack();
const db = new pg.Client({ connectionString: stack.db.url });
await db.connect();
t.teardown(async () => {
  await db.end();
  await stack.close();
});

const [admin, alice, bob, carol, , , pauper] = stack.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Response = { status: number; body: any };

async function counts(): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM signed_messages)::int AS signed_messages,
            (SELECT count(*) FROM votes)::int AS votes,
            (SELECT count(*) FROM proposals)::int AS proposals,
            (SELECT count(*) FROM spaces)::int AS spaces,
            (SELECT count(*) FROM space_changes)::int AS space_changes`,
  );
  return rows[0];
}

/** Sends a bad request and checks the status, the code, that the message names the problem, and that nothing was stored. */
async function refused(t: Test, what: string, send: () => Promise<Response>, status: number, code: string, message: RegExp): Promise<Response> {
  const before = await counts();
  const response = await send();
  t.equal(response.status, status, `${what}: HTTP ${status} (${JSON.stringify(response.body).slice(0, 300)})`);
  t.equal(response.body?.code, code, `${what}: code ${code}`);
  t.match(response.body?.message, message, `${what}: the message names the problem`);
  t.same(await counts(), before, `${what}: nothing stored`);
  return response;
}

const sign = <P extends PrimaryType>(wallet: Wallet, type: P, message: MessageByType[P], options?: Parameters<typeof stack.sign>[3]) =>
  stack.sign(wallet, type, message, options);
const submit = (envelope: unknown) => stack.submit(envelope);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function voteMessage(wallet: Wallet, proposal: string, overrides: Partial<MessageByType['Vote']> = {}): MessageByType['Vote'] {
  return { from: wallet.address, space: 'main', proposal, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '', ...overrides };
}

async function accepted(t: Test, what: string, envelope: unknown): Promise<string> {
  const response = await submit(envelope);
  t.equal(response.status, 200, `${what} (${JSON.stringify(response.body)})`);
  return response.body.id as string;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: spaces and open proposals
// ---------------------------------------------------------------------------------------------

const longStage = { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 };
const mainCreated = await createSpace(stack, 'main', {
  executor: admin.address,
  proposalGate: { kind: 'power', minPower: (30n * TOKEN).toString() },
  temperature: longStage,
});
const shortCreated = await createSpace(stack, 'short', {
  temperature: { ...longStage, period: 2 },
});
const limitedCreated = await createSpace(stack, 'limited', { maxActiveProposalsPerAuthor: 1, temperature: longStage });
for (const created of [mainCreated, shortCreated, limitedCreated])
  if (created.status !== 200) throw new Error(`space setup failed: ${JSON.stringify(created.body)}`);

await mineBlocks(stack.chain.provider, 1);
const snapshot = (await latestBlock(stack)) - 1;
const openId = (await submit(await sign(alice, 'Proposal', proposalMessage(alice, 'main', snapshot, { title: 'Open proposal' })))).body.id as string;
// Created during setup, so its 2 s temperature check is (nearly) over by the time the stage-window case runs.
const shortId = (await submit(await sign(alice, 'Proposal', proposalMessage(alice, 'short', snapshot, { title: 'Short proposal' })))).body.id as string;
const limitedId = (await submit(await sign(alice, 'Proposal', proposalMessage(alice, 'limited', snapshot, { title: 'First of one' })))).body.id as string;
if (!openId || !shortId || !limitedId) throw new Error('proposal setup failed');

// ---------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------

t.test('the envelope: JSON, type, types, domain', async (t) => {
  const raw = (payload: string) => async () => {
    const response = await stack.app.inject({ method: 'POST', url: '/api/messages', headers: { 'content-type': 'application/json' }, payload });
    return { status: response.statusCode, body: response.json() };
  };
  await refused(t, 'malformed JSON', raw('{"address": "0x12", "sig": '), 400, 'INVALID_JSON', /not valid JSON/);
  await refused(t, 'empty JSON body', raw(''), 400, 'INVALID_JSON', /empty/);
  for (const body of ['null', '[]', '"envelope"', '{}']) {
    await refused(t, `JSON ${body} as the body`, raw(body), 400, 'INVALID_ENVELOPE', /envelope must be a JSON object|missing field address/);
  }
  await refused(
    t,
    'not JSON at all',
    async () => {
      const response = await stack.app.inject({
        method: 'POST',
        url: '/api/messages',
        headers: { 'content-type': 'application/xml' },
        payload: '<vote>yes</vote>',
      });
      return { status: response.statusCode, body: response.json() };
    },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    /application\/json/,
  );

  const good = await sign(bob, 'Vote', voteMessage(bob, openId));

  const unknown = clone(good) as any;
  unknown.data.primaryType = 'Ballot';
  await refused(t, 'unknown primaryType', () => submit(unknown), 400, 'UNKNOWN_TYPE', /unknown primaryType "Ballot"/);

  const reordered = clone(good) as any;
  reordered.data.types.Vote = [...reordered.data.types.Vote].reverse();
  await refused(t, 'Vote fields reordered', () => submit(reordered), 400, 'TYPES_MISMATCH', /Vote is not the canonical definition/);
  const retyped = clone(good) as any;
  retyped.data.types.Vote = retyped.data.types.Vote.map((f: { name: string }) => (f.name === 'stage' ? { name: 'stage', type: 'uint256' } : f));
  await refused(t, 'stage typed uint256', () => submit(retyped), 400, 'TYPES_MISMATCH', /Vote is not the canonical definition/);
  const extraType = clone(good) as any;
  extraType.data.types.Mail = [{ name: 'to', type: 'address' }];
  await refused(t, 'an extra type', () => submit(extraType), 400, 'TYPES_MISMATCH', /unexpected type Mail/);

  const stringStage = clone(good) as any;
  stringStage.data.message.stage = '1';
  const badField = await refused(t, 'a field of the wrong JSON type', () => submit(stringStage), 400, 'INVALID_MESSAGE', /\/message\/stage/);
  t.equal(badField.body.details?.path, '/message/stage');

  const domain = testDomain(stack.chain.chainId);
  const signedFor = async (d: typeof domain) => sign(bob, 'Vote', voteMessage(bob, openId), { domain: d });
  await refused(t, 'domain name', async () => submit(await signedFor({ ...domain, name: 'snapshot' })), 400, 'WRONG_DOMAIN', /name must be "govrelay"/);
  await refused(t, 'domain version', async () => submit(await signedFor({ ...domain, version: '0.1.4' })), 400, 'WRONG_DOMAIN', /version must be "1"/);
  await refused(t, 'domain salt', async () => submit(await signedFor({ ...domain, salt: `0x${'cd'.repeat(32)}` })), 400, 'WRONG_DOMAIN', /salt/);
  await refused(
    t,
    'domain chainId',
    async () => submit(await signedFor({ ...domain, chainId: 1 })),
    400,
    'WRONG_CHAIN_ID',
    new RegExp(`chainId must be ${stack.chain.chainId}`),
  );
});

t.test('signatures and the signer', async (t) => {
  const good = await sign(bob, 'Vote', voteMessage(bob, openId, { reason: 'signature cases' }));
  const withSig = (sig: string) => ({ ...clone(good), sig });

  await refused(t, 'garbage (not hex)', () => submit(withSig('not-a-signature')), 401, 'BAD_SIGNATURE', /hex/);
  await refused(t, 'garbage (odd hex digits)', () => submit(withSig('0x123')), 401, 'BAD_SIGNATURE', /hex/);
  await refused(t, 'truncated', () => submit(withSig(good.sig.slice(0, 2 + 64 * 2))), 401, 'BAD_SIGNATURE', /does not verify/);
  await refused(t, 'zero bytes', () => submit(withSig(`0x${'00'.repeat(65)}`)), 401, 'BAD_SIGNATURE', /does not verify/);

  const { r, s, v } = Signature.from(good.sig);
  const highS = concat([r, toBeHex(SECP256K1_N - BigInt(s), 32), toBeHex(v === 27 ? 28 : 27, 1)]);
  await refused(t, 'high-s twin', () => submit(withSig(highS)), 401, 'HIGH_S', /upper half of the curve order/);

  // carol signs a vote that claims to be bob's.
  const forged = await sign(carol, 'Vote', voteMessage(bob, openId, { reason: 'forged' }));
  t.equal(forged.address, carol.address);
  await refused(
    t,
    'signer is not from',
    () => submit({ ...forged, address: bob.address }),
    401,
    'SIGNER_MISMATCH',
    new RegExp(`made by ${carol.address.toLowerCase()}, not by ${bob.address.toLowerCase()}`),
  );
  await refused(
    t,
    'address is not message.from',
    () => submit({ ...clone(good), address: carol.address }),
    400,
    'ADDRESS_MISMATCH',
    /address must equal message.from/,
  );
});

t.test('timestamps and replays', async (t) => {
  const { MESSAGE_MAX_AGE_S: maxAge, MESSAGE_MAX_FUTURE_S: maxFuture } = stack.config;
  const old = await sign(bob, 'Vote', voteMessage(bob, openId, { timestamp: nowSeconds() - maxAge - 60 }));
  await refused(t, 'too old', () => submit(old), 400, 'TIMESTAMP_OUT_OF_WINDOW', /outside the accepted window/);
  const future = await sign(bob, 'Vote', voteMessage(bob, openId, { timestamp: nowSeconds() + maxFuture + 60 }));
  await refused(t, 'too far ahead', () => submit(future), 400, 'TIMESTAMP_OUT_OF_WINDOW', /outside the accepted window/);

  const vote = await sign(bob, 'Vote', voteMessage(bob, openId, { reason: 'counted once' }));
  const id = await accepted(t, 'the first submission is accepted', vote);
  const replay = await refused(t, 'the same envelope again', () => submit(vote), 409, 'DUPLICATE', new RegExp(`${id} was already received`));
  t.equal(replay.body.details?.id, id);
  // The proposal as anyone can read it back (GET /api/messages/:id publishes the envelope as received).
  const proposalReplay = await stack.get(`/api/messages/${openId}`);
  await refused(t, 'a proposal replayed', () => submit(proposalReplay.body.envelope), 409, 'DUPLICATE', /already received/);
});

// ---------------------------------------------------------------------------------------------
// Votes
// ---------------------------------------------------------------------------------------------

t.test('votes: stage window, choices, power, size', async (t) => {
  await refused(
    t,
    'stage 2 during the temperature check',
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, openId, { stage: 2 }))),
    409,
    'STAGE_CLOSED',
    /consensus check is not open for votes: the proposal is temperature/,
  );

  await waitFor(async () => (await stack.get(`/api/proposals/${shortId}`)).body.state !== 'temperature', 15_000);
  await refused(
    t,
    'stage 1 after it closed',
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, shortId, { space: 'short' }))),
    409,
    'STAGE_CLOSED',
    /temperature check is not open for votes/,
  );

  const withChoice = (choice: string) => async () => submit(await sign(carol, 'Vote', voteMessage(carol, openId, { choice })));
  await refused(t, 'choice 0', withChoice('0'), 400, 'CHOICE_OUT_OF_RANGE', /choice 0 is out of range: this proposal has choices 1 to 3/);
  await refused(t, 'choice n+1', withChoice('4'), 400, 'CHOICE_OUT_OF_RANGE', /choice 4 is out of range: this proposal has choices 1 to 3/);
  await refused(t, 'choice 1.0', withChoice('1.0'), 400, 'INVALID_CHOICE', /whole numbers/);
  await refused(t, 'choice "yes"', withChoice('yes'), 400, 'INVALID_CHOICE', /expected an integer/);
  await refused(t, 'choice [1] for single-choice', withChoice('[1]'), 400, 'INVALID_CHOICE', /single-choice choice must be one choice index/);
  await refused(t, 'choice "" ', withChoice(''), 400, 'INVALID_CHOICE', /choice is not valid/);

  await refused(
    t,
    'a wallet without tokens',
    async () => submit(await sign(pauper, 'Vote', voteMessage(pauper, openId))),
    400,
    'ZERO_POWER',
    new RegExp(`${pauper.address.toLowerCase()} has no voting power at snapshot block ${snapshot}`),
  );

  await refused(
    t,
    'stage 3',
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, openId, { stage: 3 }))),
    400,
    'INVALID_STAGE',
    /stage must be 1 \(temperature check\) or 2/,
  );
  const nowhere = `0x${'42'.repeat(32)}`;
  await refused(
    t,
    'an unknown proposal',
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, nowhere))),
    404,
    'PROPOSAL_NOT_FOUND',
    new RegExp(`proposal ${nowhere} does not exist`),
  );
  await refused(
    t,
    "another space's proposal",
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, openId, { space: 'short' }))),
    400,
    'SPACE_MISMATCH',
    /belongs to space main, not short/,
  );
  await refused(
    t,
    'a reason of 5001 characters',
    async () => submit(await sign(carol, 'Vote', voteMessage(carol, openId, { reason: 'r'.repeat(5001) }))),
    400,
    'REASON_TOO_LONG',
    /reason must be at most 5000 characters/,
  );

  const limit = stack.config.BODY_LIMIT_BYTES;
  const huge = await sign(carol, 'Vote', voteMessage(carol, openId, { reason: 'x'.repeat(limit + 1) }));
  await refused(t, `a body over ${limit} bytes`, () => submit(huge), 413, 'BODY_TOO_LARGE', /larger than the server accepts/);

  await accepted(t, 'and carol can still vote properly', await sign(carol, 'Vote', voteMessage(carol, openId)));
});

// ---------------------------------------------------------------------------------------------
// Proposals
// ---------------------------------------------------------------------------------------------

t.test('proposals', async (t) => {
  const propose = (wallet: Wallet, space: string, overrides: Partial<MessageByType['Proposal']>, payload?: Envelope['payload']) => async () =>
    submit(await sign(wallet, 'Proposal', proposalMessage(wallet, space, snapshot, overrides), payload ? { payload } : {}));

  const latest = await latestBlock(stack);
  await refused(
    t,
    'snapshot in the future',
    propose(alice, 'main', { snapshot: latest + 1000 }),
    400,
    'SNAPSHOT_NOT_MINED',
    new RegExp(`${latest + 1000} is not mined yet`),
  );
  await refused(
    t,
    'snapshot is the latest block',
    propose(alice, 'main', { snapshot: latest }),
    400,
    'SNAPSHOT_NOT_PAST',
    new RegExp(`${latest} must be before the latest block`),
  );

  const payload = { targets: [stack.token.target as string], values: ['0'], calldatas: ['0x'] };
  const otherHash = hashPayload({ ...payload, values: ['1'] });
  await refused(
    t,
    'payload hash mismatch',
    propose(alice, 'main', { execution: 'timelock', votingType: 'basic', choices: ['For', 'Against', 'Abstain'], payloadHash: otherHash }, payload),
    400,
    'PAYLOAD_HASH_MISMATCH',
    /does not equal the signed payloadHash/,
  );
  await refused(
    t,
    'payload hash of nothing',
    propose(alice, 'main', { execution: 'timelock', votingType: 'basic', choices: ['For', 'Against', 'Abstain'], payloadHash: keccak256('0x') }, payload),
    400,
    'PAYLOAD_HASH_MISMATCH',
    /payloadHash/,
  );

  await refused(t, 'title of 257 characters', propose(alice, 'main', { title: 'x'.repeat(257) }), 400, 'INVALID_TITLE', /title must be 1 to 256 characters/);
  await refused(t, 'blank title', propose(alice, 'main', { title: '   ' }), 400, 'INVALID_TITLE', /title must be 1 to 256 characters/);
  await refused(
    t,
    '21 choices',
    propose(alice, 'main', { choices: Array.from({ length: 21 }, (_, i) => `Choice ${i + 1}`) }),
    400,
    'INVALID_CHOICES',
    /2 to 20 choices/,
  );

  await refused(t, 'unknown voting type', propose(alice, 'main', { votingType: 'plurality' }), 400, 'INVALID_VOTING_TYPE', /votingType must be one of basic/);
  await refused(t, 'a signal proposal with a payload', propose(alice, 'main', {}, payload), 400, 'INVALID_PAYLOAD', /a signal proposal has no payload/);
  await refused(t, 'an http discussion link', propose(alice, 'main', { discussion: 'http://forum.example/t/1' }), 400, 'INVALID_DISCUSSION', /https:\/\/ link/);

  await refused(
    t,
    'carol (25) below the gate (30)',
    propose(carol, 'main', { title: 'Below the gate' }),
    403,
    'BELOW_PROPOSAL_THRESHOLD',
    new RegExp(`proposing needs ${30n * TOKEN} voting power at the snapshot; ${carol.address.toLowerCase()} has ${25n * TOKEN}`),
  );
  await refused(t, 'a wallet without tokens', propose(pauper, 'main', { title: 'No tokens' }), 403, 'BELOW_PROPOSAL_THRESHOLD', /has 0/);

  t.equal((await stack.get(`/api/proposals/${limitedId}`)).body.state, 'temperature', 'alice already has an active proposal in "limited"');
  await refused(
    t,
    'a second active proposal',
    propose(alice, 'limited', { title: 'Second of one' }),
    403,
    'PROPOSAL_LIMIT_REACHED',
    /already has 1 active proposals in limited \(limit 1\)/,
  );

  await refused(t, 'unknown space', propose(alice, 'nowhere', { title: 'Lost' }), 404, 'SPACE_NOT_FOUND', /space nowhere does not exist/);
});

// ---------------------------------------------------------------------------------------------
// Spaces
// ---------------------------------------------------------------------------------------------

t.test('space settings and admins', async (t) => {
  const spaceMessage = (wallet: Wallet, space: string, settings: unknown, timestamp = nowSeconds()) =>
    sign(wallet, 'Space', { from: wallet.address, space, timestamp, settings: typeof settings === 'string' ? settings : JSON.stringify(settings) });
  const settings = (overrides: Record<string, unknown>) => spaceSettings(stack, overrides);
  const tokenStrategy = { name: 'token-weighted', params: { address: stack.token.target as string } };

  await refused(
    t,
    '9 strategies',
    async () => submit(await spaceMessage(admin, 'fresh', settings({ strategies: Array(9).fill(tokenStrategy) }))),
    400,
    'INVALID_SETTINGS',
    /\/strategies/,
  );
  await refused(
    t,
    'an unknown strategy',
    async () => submit(await spaceMessage(admin, 'fresh', settings({ strategies: [{ name: 'magic', params: {} }] }))),
    400,
    'INVALID_SETTINGS',
    /unknown strategy "magic"/,
  );
  await refused(
    t,
    'another chain',
    async () => submit(await spaceMessage(admin, 'fresh', settings({ chainId: 1 }))),
    400,
    'INVALID_SETTINGS',
    new RegExp(`this deployment serves chain ${stack.chain.chainId}, not 1`),
  );
  await refused(t, 'settings not JSON', async () => submit(await spaceMessage(admin, 'fresh', '{name:')), 400, 'INVALID_SETTINGS', /not valid JSON/);

  await refused(
    t,
    'an invalid space id',
    async () => submit(await spaceMessage(admin, 'Not A Slug', settings({}))),
    400,
    'INVALID_SPACE_ID',
    /space id must match/,
  );

  await refused(
    t,
    'a non-admin changes a space',
    async () => submit(await spaceMessage(alice, 'main', settings({ admins: [alice.address] }))),
    403,
    'NOT_ADMIN',
    new RegExp(`${alice.address.toLowerCase()} is not an admin of main`),
  );
  await refused(
    t,
    'a new space whose signer is not an admin',
    async () => submit(await spaceMessage(alice, 'fresh', settings({}))),
    403,
    'NOT_ADMIN',
    /must be one of its admins/,
  );

  const created = await db.query<{ last_timestamp: string }>('SELECT last_timestamp::text FROM spaces WHERE id = $1', ['main']);
  const lastTimestamp = Number(created.rows[0]!.last_timestamp);
  await refused(
    t,
    'older settings',
    async () => submit(await spaceMessage(admin, 'main', settings({ name: 'Older' }), lastTimestamp - 1)),
    409,
    'STALE_MESSAGE',
    /a newer settings message for this space was already applied/,
  );
  await refused(
    t,
    'equally old settings',
    async () => submit(await spaceMessage(admin, 'main', settings({ name: 'Same second' }), lastTimestamp)),
    409,
    'STALE_MESSAGE',
    /newer settings message/,
  );
  t.equal((await stack.get('/api/spaces/main')).body.settings.name, 'Blocktrack DAO', 'the settings are unchanged');
});

// ---------------------------------------------------------------------------------------------
// HTTP rate limit, shared through Redis
// ---------------------------------------------------------------------------------------------

t.test('the HTTP rate limit holds across two instances', async (t) => {
  const apps = [await stack.startApp({ RATE_LIMIT_PER_MINUTE: 5 }), await stack.startApp({ RATE_LIMIT_PER_MINUTE: 5 })];
  // A client address of its own, so this counter starts at zero whatever the other cases sent.
  const remoteAddress = '198.51.100.7';
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const response = await apps[i % 2]!.inject({ method: 'GET', url: '/api/info', remoteAddress });
    statuses.push(response.statusCode);
    if (i >= 5) {
      t.equal(response.json().code, 'RATE_LIMITED', `request ${i + 1} (instance ${i % 2}): RATE_LIMITED`);
      t.match(response.json().message, /rate limit of 5 requests per minute exceeded/);
    }
  }
  t.same(statuses, [200, 200, 200, 200, 200, 429, 429, 429], 'five requests in total pass, alternating between instances; the sixth is refused');

  const vote = await sign(alice, 'Vote', voteMessage(alice, openId, { reason: 'rate limited' }));
  await refused(
    t,
    'a signed vote over the limit',
    async () => {
      const response = await apps[1]!.inject({ method: 'POST', url: '/api/messages', payload: vote, remoteAddress });
      return { status: response.statusCode, body: response.json() };
    },
    429,
    'RATE_LIMITED',
    /rate limit/,
  );
  t.equal((await stack.get('/api/info')).status, 200, 'other clients are not affected');
});

// ---------------------------------------------------------------------------------------------
// WebSocket limits
// ---------------------------------------------------------------------------------------------

class Client {
  readonly frames: any[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  constructor(readonly ws: WebSocket) {
    ws.on('error', () => undefined); // the close code is what the cases check
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(url: string): Promise<Client> {
    const client = new Client(new WebSocket(url));
    await once(client.ws, 'open');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  frame(index: number): Promise<any> {
    return waitFor(async () => this.frames[index], 5000, 10);
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

t.test('WebSocket limits', async (t) => {
  const limits = { WS_MAX_CONNECTIONS_PER_IP: 3, WS_MAX_SUBSCRIPTIONS: 2, WS_MAX_MESSAGES_PER_10S: 5 };
  const app: FastifyInstance = await stack.startApp(limits);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
  const allClosed = () => waitFor(async () => app.hub.connectionCount === 0, 5000, 10);

  await t.test('unknown message types', async (t) => {
    const client = await Client.open(url);
    client.send({ type: 'hello' });
    t.match(await client.frame(0), { type: 'error', code: 'UNKNOWN_TYPE', message: /type must be subscribe, unsubscribe or ping/ });
    client.send('not json');
    t.match(await client.frame(1), { type: 'error', code: 'INVALID_JSON', message: /JSON/ });
    for (const [i, text] of ['null', '[]', '7'].entries()) {
      client.send(text);
      t.match(await client.frame(2 + i), { type: 'error', code: 'UNKNOWN_TYPE' }, `${text} is refused with an error frame`);
    }
    t.equal(client.ws.readyState, WebSocket.OPEN, 'the connection stays open');
    await client.close();
    await allClosed();
  });

  await t.test('a frame over the size limit closes the connection', async (t) => {
    const client = await Client.open(url);
    client.send({ type: 'subscribe', space: 'main', padding: 'x'.repeat(5000) });
    const closed = await client.closed;
    // Issue 14: as docs/api.md says, an error frame and then 1008 (was: 1009 and no error frame).
    t.equal(closed.code, 1008, 'closed with 1008 (policy violation)');
    t.match(
      client.frames,
      [{ type: 'error', code: 'FRAME_TOO_LARGE', message: /at most 4096 bytes/ }],
      'after an error frame; the frame itself was not processed',
    );
    await allClosed();
  });

  await t.test('a 5,000-ping burst ends with a close frame, not a dropped connection', async (t) => {
    const client = await Client.open(url);
    const burst = JSON.stringify({ type: 'ping' });
    for (let i = 0; i < 5000; i++) client.ws.send(burst);
    const closed = await client.closed;
    t.equal(closed.code, 1008, `closed with 1008 after the rate limit (${closed.code})`);
    t.match(client.frames[5], { type: 'error', code: 'RATE_LIMITED' });
    await allClosed();
  });

  await t.test('a burst of 5,000 protocol pings ends with an error frame and a close frame, not a dropped connection', async (t) => {
    const client = await Client.open(url);
    client.ws.on('error', () => undefined);
    for (let i = 0; i < 5000 && client.ws.readyState === WebSocket.OPEN; i++) client.ws.ping();
    const closed = await client.closed;
    t.equal(closed.code, 1008, `closed with 1008 (was 1006: ws dropped the connection past 60 unanswered pings) (${closed.code})`);
    t.match(client.frames, [{ type: 'error', code: 'RATE_LIMITED' }], 'after the rate-limit error frame');
    await allClosed();
  });

  await t.test('too many subscriptions', async (t) => {
    const client = await Client.open(url);
    client.send({ type: 'subscribe', space: 'main' });
    client.send({ type: 'subscribe', proposal: openId });
    client.send({ type: 'subscribe', space: 'short' });
    t.match(await client.frame(0), { type: 'subscribed', topic: 'space:main' });
    t.match(await client.frame(1), { type: 'subscribed', topic: `proposal:${openId}` });
    t.match(await client.frame(2), { type: 'error', code: 'TOO_MANY_SUBSCRIPTIONS', message: /at most 2 subscriptions per connection/ });
    t.equal(client.ws.readyState, WebSocket.OPEN, 'the connection stays open');
    await client.close();
    await allClosed();
  });

  await t.test('too many messages in 10 s', async (t) => {
    const client = await Client.open(url);
    for (let i = 0; i < 7; i++) client.send({ type: 'ping' });
    const closed = await client.closed;
    t.equal(closed.code, 1008, 'closed with 1008 (policy violation)');
    t.same(client.frames.slice(0, 5), Array(5).fill({ type: 'pong' }), 'the first five are answered');
    t.match(client.frames[5], { type: 'error', code: 'RATE_LIMITED', message: /at most 5 messages per 10 s/ });
    t.equal(client.frames.length, 6, 'nothing after the error');
    await allClosed();
  });

  await t.test('too many connections from one address', async (t) => {
    const clients = [await Client.open(url), await Client.open(url), await Client.open(url)];
    const extra = await Client.open(url);
    t.match(await extra.frame(0), { type: 'error', code: 'TOO_MANY_CONNECTIONS', message: /at most 3 connections per address/ });
    t.equal((await extra.closed).code, 1008);
    clients[0]!.send({ type: 'ping' });
    t.same(await clients[0]!.frame(0), { type: 'pong' }, 'the first three still work');
    await clients[0]!.close();
    await waitFor(async () => app.hub.connectionCount === 2, 5000, 10);
    const again = await Client.open(url);
    again.send({ type: 'ping' });
    t.same(await again.frame(0), { type: 'pong' }, 'a closed connection frees its slot');
    for (const client of [...clients, again]) await client.close();
    await allClosed();
  });
});
