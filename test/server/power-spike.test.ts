/**
 * Power-spike warning (issue 18 item 6) on the real stack (hardhat chain, PostgreSQL, Redis) with a
 * local receiver standing in for Discord and a webhook consumer: a voter whose power at the snapshot is
 * more than the space's multiple of their power lookbackBlocks earlier is listed in the stage result's
 * warnings (and still counted), and announced to the space's Discord channel and webhook; a voter
 * whose power did not grow is not. Bad powerSpike settings are refused naming the field.
 */
import t from 'tap';
import type { Wallet } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, waitFor } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { commandInteraction, discordTestKey, interact, MANAGE_GUILD, member, snowflake, startReceiver } from '../helpers/discord.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';

const receiver = await startReceiver();
const key = discordTestKey();
const stack = await startStack({
  config: {
    DISCORD_PUBLIC_KEY: key.publicKeyHex,
    DISCORD_BOT_TOKEN: 'test-bot-token',
    DISCORD_API_BASE: receiver.apiBase,
    WEBHOOK_SIGNING_SECRET: 'test-webhook-master-secret',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    NOTIFY_BACKOFF_MS: 100,
  },
});
t.teardown(async () => {
  await stack.close();
  await receiver.close();
});
const [, alice, bob, , dave] = stack.wallets as Wallet[];

t.test('powerSpike settings are validated, naming the field', async (t) => {
  for (const [powerSpike, field] of [
    [{ multiple: 0.5, lookbackBlocks: 10 }, '/powerSpike/multiple'],
    [{ multiple: 1.005, lookbackBlocks: 10 }, '/powerSpike/multiple'],
    [{ multiple: 3, lookbackBlocks: 0 }, '/powerSpike/lookbackBlocks'],
    [{ multiple: 3 }, '/powerSpike'],
  ] as const) {
    const refused = await createSpace(stack, 'spike-bad', { powerSpike });
    t.equal(refused.status, 400);
    t.equal(refused.body.code, 'INVALID_SETTINGS');
    t.match(refused.body.message, field, `${JSON.stringify(powerSpike)}: ${refused.body.message}`);
  }
  t.equal((await stack.get('/api/spaces/spike-bad')).status, 404, 'nothing stored');
});

t.test('a voter whose power spiked before the snapshot is listed in the result, counted, and announced', async (t) => {
  const guildId = snowflake();
  const channelId = snowflake();
  receiver.guildOfChannel.set(channelId, guildId);
  const created = await createSpace(stack, 'blocktrack', {
    powerSpike: { multiple: 2.5, lookbackBlocks: 5 },
    discord: { guildId, channelId },
    webhooks: [{ url: `${receiver.url}/hooks/warnings`, events: ['proposal.warning'] }],
    temperature: { votingType: 'proposal', period: 6, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  t.equal(created.status, 200, JSON.stringify(created.body));
  await interact(
    stack.app,
    key.privateKey,
    commandInteraction(member('owner', MANAGE_GUILD), { guildId, channelId: snowflake() }, 'setup', { space: 'blocktrack' }),
  );

  // Dave holds 9 BTK; 6 blocks later he receives 100 more (now 109: more than 2.5 × 9). Bob (50) gets 50 more (100: 2 ×, not a spike).
  await mineBlocks(stack.chain.provider, 6);
  await (await stack.token.getFunction('mint')(dave!.address, 100n * TOKEN)).wait();
  await (await stack.token.getFunction('mint')(bob!.address, 50n * TOKEN)).wait();
  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await latestBlock(stack)) - 1;
  const proposal = await stack.submit(
    await stack.sign(alice!, 'Proposal', {
      from: alice!.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'A vote with a bought voter',
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
  t.equal(proposal.status, 200, JSON.stringify(proposal.body));
  const id = proposal.body.id as string;
  for (const [wallet, choice] of [
    [alice!, '2'],
    [bob!, '2'],
    [dave!, '1'],
  ] as const) {
    const voted = await stack.submit(
      await stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal: id, stage: 1, timestamp: nowSeconds(), choice, reason: '' }),
    );
    t.equal(voted.status, 200);
  }

  const result = await waitFor(async () => {
    const body = (await stack.get(`/api/proposals/${id}`)).body;
    return body.results[0]?.warnings ? body.results[0] : null;
  }, 60_000);
  t.same(
    result.warnings.powerSpike,
    {
      multiple: 2.5,
      lookbackBlocks: 5,
      earlierBlock: String(snapshot - 5),
      voters: [{ address: dave!.address.toLowerCase(), power: (109n * TOKEN).toString(), earlierPower: (9n * TOKEN).toString() }],
    },
    'dave is listed (9 → 109 BTK); alice (steady) and bob (exactly 2 ×) are not',
  );
  t.equal(result.totalPower, ((100n + 100n + 109n) * TOKEN).toString(), 'dave is still counted: a warning, not an exclusion');
  t.equal(result.voterCount, 3);
  const tally = (await stack.get(`/api/proposals/${id}/tally?stage=1`)).body;
  t.same(tally.result.warnings, result.warnings, 'the tally endpoint serves the same result');

  const [hook] = await receiver.waitFor('POST', '/hooks/warnings', 1, 20_000);
  t.equal(hook!.headers['x-govrelay-event'], 'proposal.warning');
  t.match(hook!.body, {
    type: 'proposal.warning',
    space: 'blocktrack',
    proposal: { id },
    warning: { kind: 'power-spike', stage: 1, detail: { multiple: 2.5, lookbackBlocks: 5, voters: [{ address: dave!.address.toLowerCase() }] } },
  });
  t.equal(hook!.body.warning.detail.voters.length, 1);
  const discord = await waitFor(async () => {
    const posted = receiver.find('POST', /^\/api\/v10\/webhooks\/[^/]+\/[^/]+$/);
    return posted.find((r) => /Power spike/.test(r.body?.embeds?.[0]?.title ?? '')) ?? null;
  }, 20_000);
  t.match(discord.body.embeds[0].title, /^Power spike in the temperature check: A vote with a bought voter/);
  t.match(discord.body.embeds[0].fields[0].value, new RegExp(dave!.address.toLowerCase()));
  t.same(discord.body.allowed_mentions, { parse: [] }, 'mentions disabled');
});
