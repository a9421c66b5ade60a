/**
 * "Remind me by DM" on a stage announcement in Discord (Discord mocked by helpers/discord.ts): a
 * member with a linked wallet gets one direct message before the stage closes, linking to the
 * proposal page; a member whose wallet voted gets none (decided when it is due); a member without a
 * linked wallet is told to link one; pressing twice plans one message. The answer's menu sets the
 * member's N (hours before the close, default 24), stored and used for their planned message.
 */
import t from 'tap';
import type { Wallet } from 'ethers';
import { createProposal, createSpace, startStack, TOKEN, waitFor } from '../../helpers/stack.js';
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
  selectInteraction,
  snowflake,
  startReceiver,
} from '../../helpers/discord.js';

t.test('a direct-message reminder for members who have not voted', async (t) => {
  const receiver = await startReceiver();
  const key = discordTestKey();
  const stack = await startStack({
    config: {
      DISCORD_PUBLIC_KEY: key.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE: receiver.apiBase,
      PUBLIC_URL: 'https://govrelay.test',
    },
  });
  t.teardown(async () => {
    await stack.close();
    await receiver.close();
  });
  const app = stack.app;
  const [, aliceWallet, bobWallet, carolWallet, daveWallet, erinWallet] = stack.wallets as Wallet[];
  const guildId = snowflake();
  const where = { guildId, channelId: snowflake() };
  const announcements = snowflake();
  receiver.guildOfChannel.set(announcements, guildId);
  // A temperature check of 24 h and 6 s: the reminder, 24 h before the close, is due 6 s after it opens.
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        discord: { guildId, channelId: announcements },
        temperature: { votingType: 'proposal', period: 86_406, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  await interact(app, key.privateKey, commandInteraction(member('owner', MANAGE_GUILD), where, 'setup', { space: 'blocktrack' }));
  const bob = member('bob');
  const carol = member('carol');
  const stranger = member('stranger');
  const dave = member('dave');
  const erin = member('erin');
  t.equal((await linkWallet(app, key.privateKey, bob, where, bobWallet!)).status, 200);
  t.equal((await linkWallet(app, key.privateKey, carol, where, carolWallet!)).status, 200);
  t.equal((await linkWallet(app, key.privateKey, dave, where, daveWallet!)).status, 200);
  t.equal((await linkWallet(app, key.privateKey, erin, where, erinWallet!)).status, 200);

  const proposalId = await createProposal(stack, 'Fund the grants round', { author: aliceWallet! });

  // The announcement carries the button.
  const [announcement] = await receiver.waitFor('POST', /^\/api\/v10\/webhooks\/\d+\/hooktoken\d+$/);
  const remind = announcement!.body.components[0].components[1];
  t.same(remind, { type: 2, style: 2, label: 'Remind me by DM', custom_id: `remind:${proposalId}:1` });
  const pressFull = async (user: typeof bob) => (await interact(app, key.privateKey, buttonInteraction(user, where, remind.custom_id, snowflake()))).body;
  const press = async (user: typeof bob) => (await pressFull(user)).data.content as string;
  const choose = async (user: typeof bob, hours: string) =>
    (await interact(app, key.privateKey, selectInteraction(user, where, 'remind-hours', snowflake(), [hours]))).body;
  const hoursOf = async (user: typeof bob) =>
    (await app.db.pool.query('SELECT hours FROM discord_reminder_settings WHERE discord_user_id = $1', [user.id])).rows[0]?.hours as number | undefined;

  t.match(await press(stranger), /Link your wallet first/, 'no linked wallet: told to link one');
  const bobAnswer = await pressFull(bob);
  t.match(bobAnswer.data.content, /I will send you a direct message about 24 hours before this vote closes/);
  const menu = bobAnswer.data.components[0].components[0];
  t.equal(menu.type, 3, 'the answer carries a menu of hours');
  t.equal(menu.custom_id, 'remind-hours');
  t.same(
    menu.options.map((o: { value: string }) => o.value),
    ['1', '2', '3', '6', '12', '24', '48', '72', '168'],
  );
  t.same(
    menu.options.filter((o: { default?: boolean }) => o.default).map((o: { value: string }) => o.value),
    ['24'],
    'the default N is chosen',
  );

  // Dave wants it 48 h before the close: that is already past, so his message is due now.
  t.match(await press(dave), /about 24 hours/);
  const daveChoice = await choose(dave, '48');
  t.equal(daveChoice.type, 7, 'the private answer is updated in place');
  t.match(daveChoice.data.content, /now come about 48 hours before a vote closes \(1 planned reminder moved\)/);
  t.equal(await hoursOf(dave), 48, "dave's N is stored");
  // Erin wants it 1 h before the close: her 24 h job (due in 6 s) must send nothing.
  t.match(await press(erin), /about 24 hours/);
  t.match((await choose(erin, '1')).data.content, /about 1 hour before/);
  t.match(await press(erin), /about 1 hour before this vote closes/, 'a later press uses the stored N');
  // Out of bounds (a forged menu value): refused, nothing stored.
  for (const bad of ['0', '721', '2.5', 'x']) t.match((await choose(bob, bad)).data.content, /whole number of hours from 1 to 720/, `refused: ${bad}`);
  t.equal(await hoursOf(bob), undefined, "bob's N stays the default");

  t.match(await press(bob), /I will send you a direct message/, 'pressing again plans the same one message');
  t.match(await press(carol), /I will send you a direct message/);
  const vote = await stack.submit(
    await stack.sign(carolWallet!, 'Vote', {
      from: carolWallet!.address,
      space: 'blocktrack',
      proposal: proposalId,
      stage: 1,
      timestamp: nowSeconds(),
      choice: '1',
      reason: '',
    }),
  );
  t.equal(vote.status, 200);
  t.match(await press(carol), /has already voted in this stage/, 'after voting the button says so');

  const [daveDm] = await receiver.waitFor('POST', `/api/v10/channels/dm${dave.id}/messages`);
  t.match(daveDm!.body.content, /closes in about 24 h and `0x[0-9a-f]{40}` has not voted yet/i);

  const [dm] = await receiver.waitFor('POST', `/api/v10/channels/dm${bob.id}/messages`);
  t.ok(
    receiver.find('POST', '/api/v10/users/@me/channels').some((request) => request.body.recipient_id === bob.id),
    'a DM channel opened with bob',
  );
  t.equal(dm!.headers.authorization, 'Bot test-bot-token');
  t.match(dm!.body.content, /temperature check of “Fund the grants round” in blocktrack closes in about 24 h/);
  t.same(dm!.body.components[0].components[0], { type: 2, style: 5, label: 'Vote', url: `https://govrelay.test/proposals/${proposalId}` });
  const carolJobId = `dm-${proposalId}-1-${carol.id}-24h`;
  // Read the job again once completed: a copy read before it completed has no return value yet.
  await waitFor(async () => (await app.reminders!.queue.getJob(carolJobId))?.isCompleted());
  t.equal((await app.reminders!.queue.getJob(carolJobId))!.returnvalue, 'skipped', "carol's wallet voted: no message");
  t.equal(receiver.find('POST', `/api/v10/channels/dm${carol.id}/messages`).length, 0);
  t.equal(receiver.find('POST', `/api/v10/channels/dm${bob.id}/messages`).length, 1, 'one message to bob');

  // Erin's 24 h job ran and sent nothing (her N is 1 now); her 1 h job waits for its time.
  const erin24 = `dm-${proposalId}-1-${erin.id}-24h`;
  await waitFor(async () => (await app.reminders!.queue.getJob(erin24))?.isCompleted());
  t.equal((await app.reminders!.queue.getJob(erin24))!.returnvalue, 'skipped', "erin's N changed: the 24 h job sends nothing");
  t.ok(await (await app.reminders!.queue.getJob(`dm-${proposalId}-1-${erin.id}-1h`))!.isDelayed(), "erin's 1 h job is planned");
  t.equal(receiver.find('POST', `/api/v10/channels/dm${erin.id}/messages`).length, 0);
  t.equal(receiver.find('POST', `/api/v10/channels/dm${dave.id}/messages`).length, 1, 'one message to dave');
});
