/**
 * "Remind me by DM" on a stage announcement in Discord (Discord mocked by helpers/discord.ts): a
 * member with a linked wallet gets one direct message before the stage closes, linking to the
 * proposal page; a member whose wallet voted gets none (decided when it is due); a member without a
 * linked wallet is told to link one; pressing twice plans one message.
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
  const [, aliceWallet, bobWallet, carolWallet] = stack.wallets as Wallet[];
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
  t.equal((await linkWallet(app, key.privateKey, bob, where, bobWallet!)).status, 200);
  t.equal((await linkWallet(app, key.privateKey, carol, where, carolWallet!)).status, 200);

  const proposalId = await createProposal(stack, 'Fund the grants round', { author: aliceWallet! });

  // The announcement carries the button.
  const [announcement] = await receiver.waitFor('POST', /^\/api\/v10\/webhooks\/\d+\/hooktoken\d+$/);
  const remind = announcement!.body.components[0].components[1];
  t.same(remind, { type: 2, style: 2, label: 'Remind me by DM', custom_id: `remind:${proposalId}:1` });
  const press = async (user: typeof bob) =>
    (await interact(app, key.privateKey, buttonInteraction(user, where, remind.custom_id, snowflake()))).body.data.content as string;

  t.match(await press(stranger), /Link your wallet first/, 'no linked wallet: told to link one');
  t.match(await press(bob), /I will send you a direct message about 24 hours before this vote closes/);
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

  const [dm] = await receiver.waitFor('POST', `/api/v10/channels/dm${bob.id}/messages`);
  t.equal(receiver.find('POST', '/api/v10/users/@me/channels')[0]!.body.recipient_id, bob.id);
  t.equal(dm!.headers.authorization, 'Bot test-bot-token');
  t.match(dm!.body.content, /temperature check of “Fund the grants round” in blocktrack closes in about 24 h/);
  t.same(dm!.body.components[0].components[0], { type: 2, style: 5, label: 'Vote', url: `https://govrelay.test/proposals/${proposalId}` });
  const carolJobId = `dm-${proposalId}-1-${carol.id}`;
  // Read the job again once completed: a copy read before it completed has no return value yet.
  await waitFor(async () => (await app.reminders!.queue.getJob(carolJobId))?.isCompleted());
  t.equal((await app.reminders!.queue.getJob(carolJobId))!.returnvalue, 'skipped', "carol's wallet voted: no message");
  t.equal(receiver.find('POST', `/api/v10/channels/dm${carol.id}/messages`).length, 0);
  t.equal(receiver.find('POST', `/api/v10/channels/dm${bob.id}/messages`).length, 1, 'one message to bob');
});
