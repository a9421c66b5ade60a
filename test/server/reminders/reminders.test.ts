/**
 * Email reminders end to end, through nodemailer to a real SMTP server in-process: double opt-in,
 * what each email says and links to, the RFC 8058 one-click unsubscribe, no "not voted" reminder
 * for a member who voted, results, nothing sent twice across two server instances and a restart,
 * the address kept out of every published message, and every bad input refused with nothing stored.
 */
import t from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { Wallet } from 'ethers';
import type { FastifyInstance } from 'fastify';
import { createProposal, createSpace, startStack, TOKEN, waitFor, type TestStack } from '../../helpers/stack.js';
import { ZERO_HASH } from '../../../core/proposals/payload.js';
import { nowSeconds } from '../../helpers/messages.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.js';
import { emailCommitment } from '../../../server/reminders/email-address.js';
import { findProposal } from '../../../core/proposals/repository.js';

const PUBLIC_URL = 'http://govrelay.test';

let smtp: TestSmtp;
let stack: TestStack;
/** Its own pool: the test closes app instances mid-way. */
let db: pg.Pool;

t.before(async () => {
  smtp = await startSmtp();
  stack = await startStack({ config: { SMTP_URL: smtp.url, PUBLIC_URL, NOTIFY_MAX_ATTEMPTS: 3 } });
  db = new pg.Pool({ connectionString: stack.db.url, max: 2 });
});
t.teardown(async () => {
  await db?.end();
  await stack?.close();
  await smtp?.close();
});

function subscribeMessage(
  wallet: Wallet,
  space: string,
  address: string,
  options: { events?: string[]; closingHours?: number; timestamp?: number; salt?: string } = {},
) {
  const salt = options.salt ?? `0x${randomBytes(32).toString('hex')}`;
  return {
    message: {
      from: wallet.address,
      space,
      timestamp: options.timestamp ?? nowSeconds(),
      emailHash: emailCommitment(address, salt),
      events: options.events ?? ['proposal', 'closing', 'results'],
      closingHours: options.closingHours ?? 1,
    },
    email: { address, salt },
  };
}

async function subscribe(wallet: Wallet, space: string, address: string, options: Parameters<typeof subscribeMessage>[3] = {}, app?: FastifyInstance) {
  const { message, email } = subscribeMessage(wallet, space, address, options);
  const envelope = { ...(await stack.sign(wallet, 'Subscribe', message)), email };
  return { ...(await stack.submit(envelope, app)), envelope };
}

async function propose(space: string, title: string, app: FastifyInstance = stack.app): Promise<string> {
  return createProposal(stack, title, { space, app });
}

function linkIn(mail: ReceivedMail, kind: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`${PUBLIC_URL}/api/reminders/${kind}/[0-9a-f]{64}`).exec(mail.text);
  if (!match) throw new Error(`no ${kind} link in ${mail.text}`);
  return match[0];
}

const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

async function jobOutcome(app: FastifyInstance, jobId: string): Promise<unknown> {
  return waitFor(async () => {
    // Read the job again once completed: a copy read before it completed has no return value yet.
    const job = await app.reminders!.queue.getJob(jobId);
    if (!job || !(await job.isCompleted())) return null;
    return { value: (await app.reminders!.queue.getJob(jobId))!.returnvalue as unknown };
  }).then((r) => r.value);
}

async function count(table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

t.test('double opt-in, reminders, results, one-click unsubscribe, and nothing sent twice', async (t) => {
  const [, , bob, carol, dave] = stack.wallets as Wallet[];
  // blocktrack: a temperature check of one hour and 6 s, so a 1-hour reminder falls due 6 s after it opens.
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        temperature: { votingType: 'proposal', period: 3606, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  // fastdao: a 3-second temperature check, to see its results.
  t.equal(
    (
      await createSpace(stack, 'fastdao', {
        temperature: { votingType: 'proposal', period: 3, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );

  const bobSub = await subscribe(bob!, 'blocktrack', 'bob@example.org');
  t.equal(bobSub.status, 200, JSON.stringify(bobSub.body));
  t.equal((await subscribe(carol!, 'blocktrack', 'carol@example.org', { events: ['closing'] })).status, 200);
  t.equal((await subscribe(dave!, 'blocktrack', 'dave@example.org')).status, 200, 'dave never confirms');
  t.equal((await subscribe(bob!, 'fastdao', 'bob+fast@example.org', { events: ['results'] })).status, 200);

  // The address is not in anything published: the stored and served message has no `email`.
  const served = await stack.get(`/api/messages/${bobSub.body.id}`);
  t.equal(served.status, 200);
  t.notOk(JSON.stringify(served.body).includes('bob@example.org'), 'GET /api/messages/:id does not show the address');
  t.notOk(Object.hasOwn(served.body.envelope, 'email'));
  t.equal(served.body.envelope.data.message.emailHash, bobSub.envelope.data.message.emailHash, 'only its salted hash, as signed');
  const stored = await db.query(`SELECT envelope::text AS e FROM signed_messages WHERE type = 'Subscribe'`);
  t.notOk(
    stored.rows.some((r: { e: string }) => r.e.includes('@example.org')),
    'no address in signed_messages',
  );

  // Confirmation emails: the only thing sent before confirmation.
  const [bobConfirm] = await smtp.waitFor('bob@example.org');
  await smtp.waitFor('carol@example.org');
  await smtp.waitFor('dave@example.org');
  const [fastConfirm] = await smtp.waitFor('bob+fast@example.org');
  t.match(bobConfirm!.subject, 'Confirm your govrelay reminders for blocktrack');
  t.match(bobConfirm!.text, bob!.address.toLowerCase(), 'names the wallet that asked');
  t.match(bobConfirm!.text, /Nothing is sent until you confirm/);
  const confirmUrl = linkIn(bobConfirm!, 'confirm');
  const unsubscribeUrl = linkIn(bobConfirm!, 'unsubscribe');
  t.equal(bobConfirm!.header('list-unsubscribe'), `<${unsubscribeUrl}>`, 'RFC 8058 List-Unsubscribe');
  t.equal(bobConfirm!.header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
  t.match(bobConfirm!.html, `href="${confirmUrl}"`);

  // Following the link shows a button; only its POST confirms (mail scanners fetch GET links).
  const shown = await stack.app.inject({ method: 'GET', url: pathOf(confirmUrl) });
  t.equal(shown.statusCode, 200);
  t.match(shown.body, /<form method="post"><button type="submit">Confirm/);
  const status = async (id: string) => (await db.query('SELECT status FROM email_subscriptions WHERE id = $1', [id])).rows[0]?.status;
  t.equal(await status(bobSub.body.id), 'pending', 'a GET confirms nothing');
  for (const mail of [bobConfirm!, fastConfirm!, smtp.to('carol@example.org')[0]!]) {
    const confirmed = await stack.app.inject({
      method: 'POST',
      url: pathOf(linkIn(mail, 'confirm')),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    t.equal(confirmed.statusCode, 200, confirmed.body);
  }
  t.equal(await status(bobSub.body.id), 'confirmed');

  // A new proposal: bob (confirmed, asked for it) is told; dave (unconfirmed) and carol (closing only) are not.
  const proposalId = await propose('blocktrack', 'Fund the grants round');
  const [, bobNew] = await smtp.waitFor('bob@example.org', 2);
  t.equal(bobNew!.subject, 'New proposal in blocktrack: Fund the grants round');
  t.match(bobNew!.text, `${PUBLIC_URL}/proposals/${proposalId}`);
  t.match(bobNew!.header('list-unsubscribe'), /^<http:\/\/govrelay\.test\/api\/reminders\/unsubscribe\/[0-9a-f]{64}>$/);

  // carol votes at once; bob does not. Both asked for the 1-hour reminder.
  const vote = await stack.submit(
    await stack.sign(carol!, 'Vote', {
      from: carol!.address,
      space: 'blocktrack',
      proposal: proposalId,
      stage: 1,
      timestamp: nowSeconds(),
      choice: '1',
      reason: '',
    }),
  );
  t.equal(vote.status, 200, JSON.stringify(vote.body));
  const [, , bobClosing] = await smtp.waitFor('bob@example.org', 3);
  t.match(bobClosing!.subject, /^Closes in 1 h and you have not voted: Fund the grants round$/);
  t.match(bobClosing!.text, /temperature check/);
  t.match(bobClosing!.text, `Vote: ${PUBLIC_URL}/proposals/${proposalId}`);
  const carolSubId = (await db.query(`SELECT id FROM email_subscriptions WHERE email = 'carol@example.org'`)).rows[0].id as string;
  t.equal(await jobOutcome(stack.app, `send-closing-${proposalId}-1-${carolSubId}`), 'skipped', 'carol voted: her reminder job sent nothing');
  t.equal(smtp.to('carol@example.org').length, 1, 'carol got the confirmation only');
  t.equal(smtp.to('dave@example.org').length, 1, 'dave, unconfirmed, got the confirmation only');

  // Results: fastdao's temperature check closes after 3 s.
  const fastId = await propose('fastdao', 'Rename the DAO');
  const [, results] = await smtp.waitFor('bob+fast@example.org', 2);
  t.match(results!.subject, /^(Passed|Defeated): Rename the DAO \(temperature check\)$/);
  t.match(results!.text, /Voters: 0\./);
  t.match(results!.text, `${PUBLIC_URL}/proposals/${fastId}`);

  // The same events again, from a second instance, and after a restart that lost every job.
  const sent = smtp.received.length;
  const second = await stack.startApp();
  const proposal = (await findProposal(db, proposalId))!;
  const creation = { proposalId, from: '' as const, to: 'temperature' as const, at: proposal.createdAt, cause: 'message' as const };
  await Promise.all([stack.app.reminders!.scheduler.onTransitions(proposal, [creation]), second.reminders!.scheduler.onTransitions(proposal, [creation])]);
  await stack.app.close();
  await second.reminders!.queue.obliterate({ force: true });
  const restarted = await stack.startApp();
  await Promise.all([second.reminders!.scheduler.onTransitions(proposal, [creation]), restarted.reminders!.scheduler.onTransitions(proposal, [creation])]);
  const bobSubId = bobSub.body.id as string;
  t.equal(await jobOutcome(restarted, `send-proposal-${proposalId}-0-${bobSubId}`), 'already-sent', 'the ledger stops the new-proposal email');
  t.equal(await jobOutcome(restarted, `send-closing-${proposalId}-1-${bobSubId}`), 'already-sent', 'and the closing reminder');
  t.equal(smtp.received.length, sent, 'nothing was sent twice');
  t.equal((await db.query(`SELECT count(*)::int AS n FROM email_deliveries WHERE subscription_id = $1`, [bobSubId])).rows[0].n, 3);

  // One-click unsubscribe as a mail client does it (RFC 8058), twice; then nothing more is sent.
  const oneClick = () =>
    restarted.inject({
      method: 'POST',
      url: pathOf(linkIn(bobNew!, 'unsubscribe')),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
  t.equal((await oneClick()).statusCode, 200);
  t.equal((await oneClick()).statusCode, 200, 'repeating it is harmless');
  t.equal(await status(bobSubId), 'ended');
  const ended = await restarted.inject({ method: 'POST', url: pathOf(confirmUrl) });
  t.equal(ended.statusCode, 410);
  t.equal(ended.json().code, 'SUBSCRIPTION_ENDED', 'an unsubscribed address cannot be confirmed again by its old link');
  const later = await propose('blocktrack', 'Second proposal', restarted);
  t.equal(await jobOutcome(restarted, `fan-proposal-${later}-0`), 'planned 0', 'no confirmed subscriber asked for new proposals any more');
  t.equal(smtp.to('bob@example.org').length, 3);

  // The signed way to stop: carol's Unsubscribe; a second one has nothing to end.
  const stop = async (wallet: Wallet, timestamp: number) =>
    stack.submit(await stack.sign(wallet, 'Unsubscribe', { from: wallet.address, space: 'blocktrack', timestamp }), restarted);
  t.equal((await stop(carol!, nowSeconds())).status, 200);
  const again = await stop(carol!, nowSeconds() + 1);
  t.equal(again.status, 409);
  t.equal(again.body.code, 'NOT_SUBSCRIBED');
  t.equal(await status(carolSubId), 'ended');
});

t.test('bad input is refused with a code, and nothing is stored', async (t) => {
  const target = await stack.startApp();
  const eve = stack.wallets[6] as Wallet;
  const frank = stack.wallets[7] as Wallet;
  const before = { subs: await count('email_subscriptions'), messages: await count('signed_messages') };
  const refused = async (name: string, response: Promise<{ status: number; body: any }>, status: number, code: string) => {
    const { status: got, body } = await response;
    t.equal(got, status, `${name}: ${JSON.stringify(body)}`);
    t.equal(body.code, code, name);
  };

  await refused('not an email address', subscribe(eve, 'blocktrack', 'not-an-address', {}, target), 400, 'INVALID_EMAIL');
  await refused('an address with a space', subscribe(eve, 'blocktrack', 'eve @example.org', {}, target), 400, 'INVALID_EMAIL');
  await refused('unknown space', subscribe(eve, 'no-such-space', 'eve@example.org', {}, target), 404, 'SPACE_NOT_FOUND');
  await refused('unknown event', subscribe(eve, 'blocktrack', 'eve@example.org', { events: ['proposal', 'gossip'] }, target), 400, 'INVALID_EVENTS');
  await refused('no event', subscribe(eve, 'blocktrack', 'eve@example.org', { events: [] }, target), 400, 'INVALID_EVENTS');
  await refused('closing too early', subscribe(eve, 'blocktrack', 'eve@example.org', { closingHours: 5000 }, target), 400, 'INVALID_CLOSING_HOURS');
  await refused('stale timestamp', subscribe(eve, 'blocktrack', 'eve@example.org', { timestamp: nowSeconds() - 7200 }, target), 400, 'TIMESTAMP_OUT_OF_WINDOW');

  const { message } = subscribeMessage(eve, 'blocktrack', 'eve@example.org');
  const signed = await stack.sign(eve, 'Subscribe', message);
  await refused('no email field', stack.submit(signed, target), 400, 'EMAIL_REQUIRED');
  await refused(
    'an address other than the signed one',
    stack.submit({ ...signed, email: { address: 'mallory@example.org', salt: `0x${'00'.repeat(32)}` } }, target),
    400,
    'EMAIL_HASH_MISMATCH',
  );
  const vote = await stack.sign(eve, 'Vote', {
    from: eve.address,
    space: 'blocktrack',
    proposal: ZERO_HASH,
    stage: 1,
    timestamp: nowSeconds(),
    choice: '1',
    reason: '',
  });
  await refused('email on another type', stack.submit({ ...vote, email: { address: 'eve@example.org', salt: ZERO_HASH } }, target), 400, 'INVALID_ENVELOPE');
  await refused(
    'Unsubscribe without a subscription',
    stack.sign(eve, 'Unsubscribe', { from: eve.address, space: 'blocktrack', timestamp: nowSeconds() }).then((e) => stack.submit(e, target)),
    409,
    'NOT_SUBSCRIBED',
  );
  const unknownLink = await target.inject({ method: 'POST', url: `/api/reminders/confirm/${'ab'.repeat(32)}` });
  t.equal(unknownLink.statusCode, 404);
  t.equal(unknownLink.json().code, 'LINK_NOT_FOUND');
  t.same({ subs: await count('email_subscriptions'), messages: await count('signed_messages') }, before, 'nothing stored by any refusal');

  // Replays and older messages.
  const first = await subscribe(eve, 'blocktrack', 'eve@example.org', { timestamp: nowSeconds() - 10 }, target);
  t.equal(first.status, 200);
  await refused('replay', stack.submit(first.envelope, target), 409, 'DUPLICATE');
  await refused('older than the last one', subscribe(eve, 'blocktrack', 'eve@example.org', { timestamp: nowSeconds() - 20 }, target), 409, 'STALE_MESSAGE');
  await refused('someone else asking to mail a pending address', subscribe(frank, 'blocktrack', 'EVE@example.org', {}, target), 409, 'CONFIRMATION_PENDING');
  t.same(
    { subs: await count('email_subscriptions'), messages: await count('signed_messages') },
    { subs: before.subs + 1, messages: before.messages + 1 },
    'only the accepted Subscribe was stored',
  );

  // SMTP not configured: Subscribe is refused, the signed way to stop still works.
  const off = await stack.startApp({ SMTP_URL: undefined });
  await refused('SMTP off', subscribe(frank, 'blocktrack', 'frank@example.org', {}, off), 503, 'REMINDERS_DISABLED');
  const stop = await stack.submit(await stack.sign(eve, 'Unsubscribe', { from: eve.address, space: 'blocktrack', timestamp: nowSeconds() }), off);
  t.equal(stop.status, 200, JSON.stringify(stop.body));
});
