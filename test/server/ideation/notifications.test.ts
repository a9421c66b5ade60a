/**
 * Notifications through the BullMQ queue against a local receiver standing in for Discord and for
 * generic webhook consumers: Discord's 429 retry_after is waited out, 5xx is retried with backoff,
 * other 4xx fail at once, a deleted channel webhook is recreated, execution events reported on the
 * events channel are delivered once, and votes never enqueue anything. Also the SSRF guard.
 */
import t from 'tap';
import { Redis } from 'ioredis';
import type { Wallet } from 'ethers';
import { createSpace, latestBlock, startStack, type TestStack } from '../../helpers/stack.js';
import { nowSeconds } from '../../helpers/messages.js';
import { commandInteraction, discordTestKey, interact, MANAGE_GUILD, member, snowflake, startReceiver, type Receiver } from '../../helpers/discord.js';
import { ZERO_HASH } from '../../../core/proposals/payload.js';
import { eventsChannel } from '../../../core/realtime/events.js';
import { DiscordRateLimitError } from '../../../server/ideation/discord/rest.js';
import { RetryAfterError, PermanentDeliveryError } from '../../../server/ideation/notifications/errors.js';
import { retryDelay } from '../../../server/ideation/notifications/worker.js';
import { assertDeliverableUrl, isPrivateAddress } from '../../../server/ideation/notifications/url-guard.js';

const DISCORD_HOOK = /^\/api\/v10\/webhooks\/9001\/hooktoken1$/;

async function jobTotal(stack: TestStack): Promise<number> {
  const counts = await stack.app.notifications.queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

t.test('deliveries retry on 429 and 5xx, stop on 4xx, and never ride on votes', async (t) => {
  const receiver: Receiver = await startReceiver();
  const key = discordTestKey();
  const stack = await startStack({
    config: {
      DISCORD_PUBLIC_KEY: key.publicKeyHex,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE: receiver.apiBase,
      WEBHOOK_SIGNING_SECRET: 'test-webhook-master-secret',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      NOTIFY_BACKOFF_MS: 100,
      NOTIFY_MAX_ATTEMPTS: 5,
    },
  });
  t.teardown(async () => {
    await stack.close();
    await receiver.close();
  });
  const guildId = snowflake();
  const announcements = snowflake();
  receiver.guildOfChannel.set(announcements, guildId);
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        discord: { guildId, channelId: announcements },
        webhooks: [{ url: `${receiver.url}/hooks/flaky` }, { url: `${receiver.url}/hooks/gone`, events: ['proposal.transition'] }],
        temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  t.match(
    (
      await interact(
        stack.app,
        key.privateKey,
        commandInteraction(member('owner', MANAGE_GUILD), { guildId, channelId: snowflake() }, 'setup', { space: 'blocktrack' }),
      )
    ).body.data.content,
    /Connected/,
  );

  receiver.script('POST', DISCORD_HOOK, [
    { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.6, global: false }, headers: { 'retry-after': '1' } },
    { status: 502, body: { message: 'Bad Gateway' } },
  ]);
  receiver.script('POST', '/hooks/flaky', [{ status: 503 }]);
  receiver.script('POST', '/hooks/gone', [{ status: 404 }, { status: 404 }, { status: 404 }]);

  const alice = stack.wallets[1] as Wallet;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Rename the treasury',
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  const proposalId: string = created.body.id;

  const discord = await receiver.waitFor('POST', DISCORD_HOOK, 3);
  t.same(
    discord.map((r) => r.status),
    [429, 502, 200],
    'Discord: rate limited, then a 5xx, then delivered',
  );
  t.ok(discord[1]!.at - discord[0]!.at >= 600, `waited retry_after (0.6 s) after the 429: ${discord[1]!.at - discord[0]!.at} ms`);
  t.ok(discord[2]!.at - discord[1]!.at >= 70, `backed off after the 5xx: ${discord[2]!.at - discord[1]!.at} ms`);
  t.same(discord[0]!.body, discord[2]!.body, 'every attempt sends the same message');
  t.match(discord[2]!.body.embeds[0].title, /^Temperature check open: Rename the treasury/);
  t.same(
    discord[2]!.body.components,
    [
      {
        type: 1,
        components: [
          {
            type: 2,
            style: 5,
            label: 'Vote',
            url: `${stack.config.PUBLIC_URL ?? `http://${stack.config.HOST}:${stack.config.PORT}`}/proposals/${created.body.id}`,
          },
          { type: 2, style: 2, label: 'Remind me by DM', custom_id: `remind:${created.body.id}:1` },
        ],
      },
    ],
    'a stage that opens carries a Vote link button to the proposal page and the direct-message reminder button',
  );

  const flaky = await receiver.waitFor('POST', '/hooks/flaky', 2);
  t.same(
    flaky.map((r) => r.status),
    [503, 200],
    'generic webhook: retried after a 5xx',
  );
  t.equal(flaky[0]!.headers['x-govrelay-delivery'], flaky[1]!.headers['x-govrelay-delivery'], 'the same delivery id on every attempt');
  await new Promise((r) => setTimeout(r, 800));
  t.equal(receiver.find('POST', '/hooks/gone').length, 1, 'a 404 is not retried');
  t.equal(receiver.find('POST', DISCORD_HOOK).length, 3, 'and a delivered message is not sent again');

  // Votes produce no notification jobs.
  const before = await jobTotal(stack);
  for (const index of [1, 2, 3]) {
    const wallet = stack.wallets[index] as Wallet;
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
  t.equal(await jobTotal(stack), before, 'votes never touch the notification queue');

  // The relayer reports execution on the events channel; someone deleted the channel webhook.
  receiver.script('POST', DISCORD_HOOK, [{ status: 404, body: { message: 'Unknown Webhook', code: 10015 } }]);
  const publisher = new Redis(stack.config.REDIS_URL);
  const event = { kind: 'execution', proposalId, spaceId: 'blocktrack', status: 'executed', detail: { executeTx: `0x${'ab'.repeat(32)}`, block: 1234 } };
  await publisher.publish(eventsChannel(stack.config.REDIS_PREFIX), JSON.stringify(event));
  await publisher.publish(eventsChannel(stack.config.REDIS_PREFIX), JSON.stringify(event));
  await publisher.quit();
  const [executed] = await receiver.waitFor('POST', /^\/api\/v10\/webhooks\/9002\/hooktoken2$/);
  t.equal(receiver.find('POST', `/api/v10/channels/${announcements}/webhooks`).length, 2, 'a deleted webhook is created again');
  t.match(executed!.body.embeds[0], { title: /^Executed on chain: Rename the treasury/, fields: [{ name: 'executeTx' }, { name: 'block', value: '1234' }] });
  const flakyExecution = await receiver.waitFor('POST', '/hooks/flaky', 3);
  t.match(flakyExecution[2]!.body, { type: 'proposal.execution', proposal: { id: proposalId }, execution: { status: 'executed' } });
  await new Promise((r) => setTimeout(r, 500));
  t.equal(receiver.find('POST', '/hooks/flaky').length, 3, 'an execution step reported twice is delivered once');
  t.equal(receiver.find('POST', '/hooks/gone').length, 1, "a webhook that did not ask for execution events doesn't get them");
  t.equal(receiver.find('POST', /^\/api\/v10\/webhooks\/900\d\//).filter((r) => r.status === 200).length, 2);
});

t.test('retry delays and the webhook URL guard', async (t) => {
  t.equal(retryDelay(1, new DiscordRateLimitError(1234, false, 'rate limited'), 100), 1234, "Discord's retry_after, exactly");
  t.equal(retryDelay(4, new RetryAfterError(500, 'slow down'), 100), 500);
  const third = retryDelay(3, new Error('502'), 100);
  t.ok(third >= 320 && third <= 480, `exponential with jitter: ${third}`);
  t.ok(retryDelay(40, new Error('502'), 1000) <= 12 * 60_000, 'capped');

  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
  ]) {
    t.ok(isPrivateAddress(address), `${address} is private`);
  }
  for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) t.notOk(isPrivateAddress(address), `${address} is public`);

  const refused = async (url: string) => {
    try {
      await assertDeliverableUrl(url, false);
      return false;
    } catch (error) {
      return error instanceof PermanentDeliveryError;
    }
  };
  t.ok(await refused('http://93.184.216.34/hook'), 'plain http');
  t.ok(await refused('https://127.0.0.1/hook'), 'loopback');
  t.ok(await refused('https://[::1]/hook'), 'IPv6 loopback');
  t.ok(await refused('https://169.254.169.254/latest/meta-data'), 'cloud metadata');
  t.ok(await refused('https://localhost/hook'), 'a name resolving to loopback');
  t.ok(await refused('https://user:secret@93.184.216.34/hook'), 'credentials in the URL');
  t.equal((await assertDeliverableUrl('https://93.184.216.34/hook', false)).hostname, '93.184.216.34');
  t.equal((await assertDeliverableUrl('http://127.0.0.1:9/hook', true)).port, '9', 'allowed for tests and local development');
});
