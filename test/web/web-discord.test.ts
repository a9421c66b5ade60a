/**
 * The Discord pages as routes of the members' app, in Chromium with the injected test wallet:
 * /link in Discord (mocked by test/helpers/discord.ts) gives a URL; its page in the app shows whom
 * the wallet is linked to, signs LinkDiscord with the connected wallet and posts it; then an idea
 * with enough support is promoted from /discord/promote?idea=… (the server's draft, signed by the
 * author's linked wallet), and the member follows the link to the new proposal's page.
 */
import t from 'tap';
import type { Page } from 'puppeteer-core';
import { injectWallet, openPage, screenshots, type TestLike } from '../helpers/browser.js';
import { createSpace, TOKEN } from '../helpers/stack.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { textOf } from '../helpers/web-flows.js';
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
  type Receiver,
  type TestDiscordKey,
} from '../helpers/discord.js';

let web: WebStack;
let receiver: Receiver;
let key: TestDiscordKey;

t.before(async () => {
  receiver = await startReceiver();
  key = discordTestKey();
  web = await startWebStack({
    config: {
      DISCORD_PUBLIC_KEY: key.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE: receiver.apiBase,
      PUBLIC_URL: 'https://govrelay.test',
    },
  });
});
t.teardown(async () => {
  await web?.close();
  await receiver?.close();
});

async function press(page: Page, text: string) {
  const mark = `b-${Math.random().toString(36).slice(2)}`;
  await page.waitForFunction(
    (wanted: string, id: string) => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes(wanted) && !b.disabled);
      button?.setAttribute('data-test', id);
      return Boolean(button);
    },
    { timeout: 15_000 },
    text,
    mark,
  );
  await page.click(`[data-test="${mark}"]`);
}

/** The path and query of a URL the server gave Discord (PUBLIC_URL is not this test's address). */
const onThisServer = (url: string) => {
  const u = new URL(url);
  return `${web.baseUrl}${u.pathname}${u.search}`;
};

t.test('a member links a wallet and promotes an idea through the app pages', async (t) => {
  const { stack, server } = web;
  const [, aliceWallet, bobWallet] = stack.wallets;
  const guildId = snowflake();
  const where = { guildId, channelId: snowflake() };
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        discord: { guildId, channelId: snowflake(), promotion: { minSupporters: 1, minSupportPower: (10n * TOKEN).toString() } },
      })
    ).status,
    200,
  );
  t.match(
    (await interact(server, key.privateKey, commandInteraction(member('owner', MANAGE_GUILD), where, 'setup', { space: 'blocktrack' }))).body.data.content,
    /Connected to space `blocktrack`/,
  );

  // /link in Discord answers a button to the link page.
  const alice = member('alice');
  const answer = await interact(server, key.privateKey, commandInteraction(alice, where, 'link'));
  const linkUrl: string = answer.body.data.components[0].components[0].url;
  t.match(linkUrl, /^https:\/\/govrelay\.test\/discord\/link\?token=[A-Za-z0-9_-]+$/);

  const { page } = await openPage(t as unknown as TestLike, web.browser.browser);
  const wallet = await injectWallet(page, aliceWallet!, { chainId: stack.chain.chainId });
  await page.goto(onThisServer(linkUrl), { waitUntil: 'networkidle0' });
  await page.waitForSelector('article.discord .what');
  t.equal(new URL(page.url()).search, new URL(linkUrl).search, 'the query stays');
  t.match(await textOf(page, 'article.discord'), new RegExp(`Link a wallet to the Discord account alice \\(${alice.id}\\)`));
  await screenshots(page, 'discord-link');
  await press(page, 'Connect wallet');
  await press(page, 'Connect Test Wallet');
  await press(page, 'Sign the link');
  await page.waitForSelector('article.discord [role=status].ok', { timeout: 15_000 });
  t.match(await textOf(page, 'article.discord [role=status]'), /Linked\s+0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\s*\.\s*You can close this page/);
  const signed = wallet.calls.filter((c) => c.method === 'eth_signTypedData_v4');
  t.equal(signed.length, 1, 'one signature');
  t.equal(JSON.parse((signed[0]!.params as string[])[1]!).primaryType, 'LinkDiscord');
  const row = (await server.db.pool.query('SELECT address FROM discord_links WHERE discord_user_id = $1', [alice.id])).rows[0];
  t.equal(row?.address, aliceWallet!.address.toLowerCase(), 'the link is stored for the signing wallet');
  // The used token is gone: the page says so in words (the 404 it gets is the expected answer).
  const used = await openPage(t as unknown as TestLike, web.browser.browser, { allowErrors: [/status of 404 .*\/api\/discord\/link\//] });
  await used.page.goto(onThisServer(linkUrl), { waitUntil: 'networkidle0' });
  await used.page.waitForSelector('article.discord [role=alert]');
  t.match(await textOf(used.page, 'article.discord [role=alert]'), /unknown, used or expired link token: run \/link again/);
  t.notOk(await used.page.$('article.discord button'), 'nothing to sign');
  // A background tab never finishes a screenshot: back to the first page.
  await used.page.close();
  await page.bringToFront();

  // bob links over the API and supports alice's idea; the ready idea links to the promote page.
  const bob = member('bob');
  t.equal((await linkWallet(server, key.privateKey, bob, where, bobWallet!)).status, 200);
  const ideaCommand = commandInteraction(alice, where, 'idea', { title: 'Fund a bounty board', description: 'Pay contributors for closing issues.' });
  receiver.channelOfToken.set(ideaCommand.token, where.channelId);
  await interact(server, key.privateKey, ideaCommand);
  await server.discord.services.tasks.idle();
  const posted = receiver.find('PATCH', `/api/v10/webhooks/${APPLICATION_ID}/${ideaCommand.token}/messages/@original`)[0]!;
  const ideaId = (posted.body.components[0].components[0].custom_id as string).split(':')[2]!;
  const messageId = receiver.find('POST', /\/threads$/)[0]!.path.split('/')[6]!;
  const support = await interact(server, key.privateKey, buttonInteraction(bob, where, `idea:support:${ideaId}`, messageId));
  t.equal(support.status, 200, 'bob supports');
  await server.discord.services.tasks.idle();
  const promoteUrl = `https://govrelay.test/discord/promote?idea=${ideaId}`;
  t.ok(
    receiver.requests.some((r) => r.raw.includes(JSON.stringify(promoteUrl).slice(1, -1))),
    'the ready idea links to the promote page in Discord',
  );

  await page.goto(onThisServer(promoteUrl), { waitUntil: 'networkidle0' });
  await page.waitForSelector('article.discord .what');
  t.match(await textOf(page, 'article.discord'), /Turn the idea "Fund a bounty board" into a proposal in blocktrack/);
  await screenshots(page, 'discord-promote');
  // The wallet stays connected across client navigations, but this was a full page load: connect again.
  await press(page, 'Connect wallet');
  await press(page, 'Connect Test Wallet');
  await press(page, 'Sign the proposal');
  await page.waitForSelector('article.discord [role=status].ok a', { timeout: 15_000 });
  const idea = (await stack.get(`/api/ideas/${ideaId}`, server)).body;
  t.equal(idea.state, 'promoted', 'the idea is promoted');
  t.match(idea.proposalId, /^0x[0-9a-f]{64}$/);
  await Promise.all([page.waitForSelector('article.proposal h1'), page.click('article.discord [role=status].ok a')]);
  t.equal(new URL(page.url()).pathname, `/proposals/${idea.proposalId}`, 'the link opens the new proposal in the app');
  t.match(await textOf(page, 'article.proposal h1'), /Fund a bounty board/);
  const proposal = (await stack.get(`/api/proposals/${idea.proposalId}`, server)).body;
  t.equal(proposal.state, 'temperature');
  t.equal(proposal.author, aliceWallet!.address.toLowerCase(), "signed by the author's linked wallet");
});
