/**
 * The whole Discord flow on a real stack: /setup, wallets linked by signature, /idea (deferred,
 * with a thread), support weighted by voting power, the space's promotion threshold, promotion by
 * the author's signed proposal (and every refusal on the way), the temperature check opening and
 * closing, and the notifications in the space's Discord channel and on a signed generic webhook.
 */
import t from 'tap';
import type { Wallet } from 'ethers';
import { createSpace, startStack, TOKEN, waitFor } from '../../helpers/stack.js';
import { nowSeconds } from '../../helpers/messages.js';
import {
  APPLICATION_ID,
  buttonInteraction,
  commandInteraction,
  discordTestKey,
  interact,
  linkWallet,
  MANAGE_GUILD,
  member,
  snowflake,
  startReceiver,
} from '../../helpers/discord.js';
import { spaceWebhookSecret, webhookSignature } from '../../../server/ideation/notifications/webhook-sender.js';

const SECRET = 'test-webhook-master-secret';

t.test('an idea in Discord becomes a temperature check, and the results come back', async (t) => {
  const receiver = await startReceiver();
  const key = discordTestKey();
  const stack = await startStack({
    config: {
      DISCORD_PUBLIC_KEY: key.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE: receiver.apiBase,
      PUBLIC_URL: 'https://govrelay.test',
      WEBHOOK_SIGNING_SECRET: SECRET,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      NOTIFY_BACKOFF_MS: 100,
    },
  });
  t.teardown(async () => {
    await stack.close();
    await receiver.close();
  });
  const app = stack.app;
  const tasks = app.discord.services.tasks;
  const [, aliceWallet, bobWallet, carolWallet, daveWallet] = stack.wallets as Wallet[];
  const guildId = snowflake();
  const ideasChannel = { guildId, channelId: snowflake() };
  const announcements = snowflake();
  receiver.guildOfChannel.set(announcements, guildId);

  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        discord: { guildId, channelId: announcements, promotion: { minSupporters: 2, minSupportPower: (60n * TOKEN).toString() } },
        webhooks: [{ url: `${receiver.url}/hooks/main` }],
        temperature: { votingType: 'proposal', period: 6, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  const setup = await interact(app, key.privateKey, commandInteraction(member('owner', MANAGE_GUILD), ideasChannel, 'setup', { space: 'blocktrack' }));
  t.match(setup.body.data.content, /Connected to space `blocktrack`/);

  // Members link their wallets once, by signature (alice 100, bob 50, carol 25, dave 9 tokens).
  const alice = member('alice');
  const bob = member('bob');
  const carol = member('carol');
  const dave = member('dave');
  for (const [user, wallet] of [
    [alice, aliceWallet],
    [bob, bobWallet],
    [carol, carolWallet],
    [dave, daveWallet],
  ] as const) {
    const linked = await linkWallet(app, key.privateKey, user, ideasChannel, wallet!);
    t.equal(linked.status, 200, `${user.username} links ${wallet!.address}`);
  }

  // /idea: deferred; the message with its buttons follows, then a thread on it.
  const ideaCommand = commandInteraction(alice, ideasChannel, 'idea', { title: 'Fund a bounty board', description: 'Pay contributors for closing issues.' });
  receiver.channelOfToken.set(ideaCommand.token, ideasChannel.channelId);
  const deferredIdea = await interact(app, key.privateKey, ideaCommand);
  t.same(deferredIdea.body, { type: 5 }, '/idea answers "thinking…" at once');
  await tasks.idle();
  const [posted] = receiver.find('PATCH', `/api/v10/webhooks/${APPLICATION_ID}/${ideaCommand.token}/messages/@original`);
  t.ok(posted, 'the idea message replaces the deferred answer');
  t.equal(posted!.body.embeds[0].title, '💡 Fund a bounty board');
  t.same(posted!.body.allowed_mentions, { parse: [] }, 'user text never pings anyone');
  const supportId: string = posted!.body.components[0].components[0].custom_id;
  const ideaId = supportId.split(':')[2]!;
  t.match(supportId, /^idea:support:[0-9a-f]{12}$/);
  const messageId = receiver.find('POST', /\/threads$/)[0]!.path.split('/')[6]!;
  t.equal(receiver.find('POST', /\/threads$/)[0]!.headers.authorization, 'Bot test-bot-token', 'the bot starts the thread');
  const idea = (await stack.get(`/api/ideas/${ideaId}`)).body;
  t.equal(idea.discussion, `https://discord.com/channels/${guildId}/${messageId}`, "the thread's link is the idea's discussion");
  t.same(idea.discord, { guildId, channelId: ideasChannel.channelId, messageId, threadId: messageId });
  t.same(idea.threshold, { minSupporters: 2, minSupportPower: (60n * TOKEN).toString(), met: false });

  const press = async (user: typeof alice, action: string) => {
    const interaction = buttonInteraction(user, ideasChannel, `idea:${action}:${ideaId}`, messageId);
    const answer = await interact(app, key.privateKey, interaction);
    await tasks.idle();
    return { answer, interaction };
  };

  // Support: deferred update of the idea message, and a private note with the weight.
  const daveSupports = await press(dave, 'support');
  t.same(daveSupports.answer.body, { type: 6 }, 'Support is a deferred update');
  const edited = receiver.find('PATCH', `/api/v10/webhooks/${APPLICATION_ID}/${daveSupports.interaction.token}/messages/@original`)[0]!;
  t.same(
    edited.body.embeds[0].fields.slice(1, 3).map((f: any) => f.value),
    ['1 / 2', '9 / 60'],
    'the idea shows its support against the threshold',
  );
  const note = receiver.find('POST', `/api/v10/webhooks/${APPLICATION_ID}/${daveSupports.interaction.token}`)[0]!;
  t.equal(note.body.flags, 64, 'the supporter is told privately');
  t.match(note.body.content, /with 9 voting power \(block \d+\)/);
  t.match((await press(alice, 'support')).answer.body.data.content, /cannot support their own idea/);

  // The author's signed proposal: the draft the promote page signs.
  const draft = (await stack.get(`/api/ideas/${ideaId}/proposal-draft`)).body;
  t.notOk('expectedSigner' in draft, "the draft does not reveal the author's wallet");
  t.equal(draft.typedData.message.discussion, idea.discussion);
  const propose = async (wallet: Wallet, overrides: Record<string, unknown> = {}) => {
    const message = { ...draft.typedData.message, from: wallet.address, timestamp: nowSeconds(), ...overrides };
    return stack.submit(await stack.sign(wallet, 'Proposal', message));
  };
  const early = await propose(aliceWallet!);
  t.equal(early.status, 403);
  t.equal(early.body.code, 'IDEA_BELOW_THRESHOLD', 'one supporter with 9 is not enough');

  await press(bob, 'support');
  await press(carol, 'support');
  const removed = await press(dave, 'unsupport');
  t.equal(removed.answer.body.type, 7, 'removing support updates the message at once');
  t.same(
    removed.answer.body.data.embeds[0].fields.slice(1, 3).map((f: any) => f.value),
    ['2 / 2', '75 / 60'],
  );
  t.equal(
    removed.answer.body.data.components[1].components[0].url,
    `https://govrelay.test/discord/promote?idea=${ideaId}`,
    'a ready idea links to the promote page',
  );
  const list = await interact(app, key.privateKey, commandInteraction(bob, ideasChannel, 'ideas'));
  t.match(list.body, { type: 4, data: { flags: 64 } });
  t.match(list.body.data.embeds[0].description, /Fund a bounty board.*2 supporters, 75 power/);

  const notAuthor = await propose(bobWallet!);
  t.equal(notAuthor.body.code, 'NOT_IDEA_AUTHOR', "only the wallet linked to the idea's author promotes it");
  t.notOk(notAuthor.body.details, 'and the refusal does not name that wallet');
  const wrongThread = await propose(aliceWallet!, { discussion: 'https://discord.com/channels/1/2' });
  t.equal(wrongThread.body.code, 'INVALID_DISCUSSION');
  t.equal(wrongThread.body.details.expected, idea.discussion);
  const noSuchIdea = await propose(aliceWallet!, { idea: 'ffffffffffff' });
  t.equal(noSuchIdea.body.code, 'IDEA_NOT_FOUND');

  const promoted = await propose(aliceWallet!);
  t.equal(promoted.status, 200, JSON.stringify(promoted.body));
  const proposalId: string = promoted.body.id;
  const proposal = (await stack.get(`/api/proposals/${proposalId}`)).body;
  t.equal(proposal.state, 'temperature', 'the temperature check opens');
  t.equal(proposal.idea, ideaId);
  t.equal(proposal.discussion, idea.discussion);
  const after = (await stack.get(`/api/ideas/${ideaId}`)).body;
  t.equal(after.state, 'promoted');
  t.equal(after.proposalId, proposalId, 'the idea records the proposal');
  t.same(after.promotion.supporters.map((s: any) => s.address).sort(), [bobWallet!.address, carolWallet!.address].map((a) => a.toLowerCase()).sort());
  t.equal(after.promotion.totalPower, (75n * TOKEN).toString(), 'support power re-read at the snapshot');
  t.equal((await propose(aliceWallet!, { title: 'Again' })).body.code, 'IDEA_NOT_OPEN', 'an idea is promoted once');
  t.match((await press(carol, 'support')).answer.body.data.content, /promoted/);

  // Notifications: the bot makes a webhook in the announcements channel and posts there; the
  // generic webhook gets signed JSON.
  const [opened] = await receiver.waitFor('POST', /^\/api\/v10\/webhooks\/9001\/hooktoken1$/);
  t.equal(receiver.find('POST', `/api/v10/channels/${announcements}/webhooks`).length, 1, 'one webhook, created by the bot');
  t.equal(opened!.query.get('wait'), 'true');
  t.match(opened!.body.embeds[0].title, /^Temperature check open: Fund a bounty board/);
  t.same(opened!.body.embeds[0].fields.at(-1), { name: 'From idea', value: `[Fund a bounty board](${idea.discussion})` });
  const [hook] = await receiver.waitFor('POST', '/hooks/main');
  const expected = webhookSignature(spaceWebhookSecret(SECRET, 'blocktrack'), Number(hook!.headers['x-govrelay-timestamp']), hook!.raw);
  t.equal(hook!.headers['x-govrelay-signature'], expected, 'the generic webhook is HMAC-signed');
  t.equal(hook!.headers['x-govrelay-event'], 'proposal.transition');
  t.match(hook!.body, {
    type: 'proposal.transition',
    space: 'blocktrack',
    proposal: { id: proposalId, idea: ideaId },
    transition: { from: null, to: 'temperature', cause: 'message' },
  });
  t.equal(hook!.headers['x-govrelay-delivery'], hook!.body.id);

  // /proposal shows the live stage; then votes, and the close comes back with its tally.
  const status = commandInteraction(bob, ideasChannel, 'proposal', { id: ideaId });
  t.same((await interact(app, key.privateKey, status)).body, { type: 5 }, '/proposal is deferred');
  await tasks.idle();
  const statusMessage = receiver.find('PATCH', `/api/v10/webhooks/${APPLICATION_ID}/${status.token}/messages/@original`)[0]!.body;
  t.equal(statusMessage.embeds[0].title, 'Fund a bounty board');
  t.match(statusMessage.embeds[0].fields, [
    { name: 'State', value: 'temperature' },
    { name: 'Stage', value: 'Temperature check (live)' },
    { name: 'Time left', value: /^closes <t:\d+:R>$/ },
  ]);

  for (const wallet of [bobWallet!, carolWallet!]) {
    const vote = await stack.submit(
      await stack.sign(wallet, 'Vote', {
        from: wallet.address,
        space: 'blocktrack',
        proposal: proposalId,
        stage: 1,
        timestamp: nowSeconds(),
        choice: '1',
        reason: '',
      }),
    );
    t.equal(vote.status, 200);
  }
  await waitFor(async () => (await stack.get(`/api/proposals/${proposalId}`)).body.state === 'consensus');
  const [, closed] = await receiver.waitFor('POST', /^\/api\/v10\/webhooks\/9001\/hooktoken1$/, 2);
  t.match(closed!.body.embeds[0].title, /^Temperature check closed: passed/);
  t.match(closed!.body.embeds[0].fields[0], { name: 'Result', value: /\*\*For\*\*: 75 \(100%\)/ });
  t.match(closed!.body.embeds[0].fields, [{}, { name: 'Voters', value: '2' }, {}, {}, { name: 'Consensus check', value: /^open, closes <t:\d+:R>$/ }]);
});
