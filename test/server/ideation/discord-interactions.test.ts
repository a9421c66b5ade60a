/**
 * The Discord interactions endpoint: Ed25519 request signatures (valid, bad, stale, replayed),
 * PING, unknown commands, unlinked users, /setup consent, wallet linking (EOA and EIP-1271,
 * replace, move, unlink, one-time tokens) and the feature switched off. Discord's API is a local
 * receiver.
 */
import t from 'tap';
import { Contract } from 'ethers';
import { createSpace, startStack, type TestStack } from '../../helpers/stack.js';
import {
  APPLICATION_ID,
  buttonInteraction,
  commandInteraction,
  discordTestKey,
  interact,
  linkWallet,
  MANAGE_GUILD,
  member,
  signRequest,
  snowflake,
  startReceiver,
  type Receiver,
  type TestDiscordKey,
} from '../../helpers/discord.js';
import { deployContract } from '../../../scripts/local-chain.js';
import { registerCommands } from '../../../scripts/discord-commands.js';
import { COMMANDS } from '../../../server/ideation/discord/command-definitions.js';
import { ConfigError, loadConfig } from '../../../core/config.js';
import { nowSeconds } from '../../helpers/messages.js';
import { ensureWebBuild } from '../../helpers/web-build.js';

const guildId = snowflake();
const where = { guildId, channelId: snowflake() };

let stack: TestStack;
let receiver: Receiver;
let key: TestDiscordKey;

t.before(async () => {
  // /discord/link answers the members' app: web/dist must exist.
  await ensureWebBuild();
  receiver = await startReceiver();
  key = discordTestKey();
  stack = await startStack({
    config: {
      DISCORD_PUBLIC_KEY: key.publicKeyHex,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_BOT_TOKEN: 'test-bot-token',
      DISCORD_API_BASE: receiver.apiBase,
      PUBLIC_URL: 'https://govrelay.test',
    },
  });
  t.equal((await createSpace(stack, 'blocktrack', { discord: { guildId } })).status, 200);
});
t.teardown(async () => {
  await stack?.close();
  await receiver?.close();
});

const ideaCount = async (): Promise<number> => (await stack.app.db.pool.query('SELECT count(*)::int AS n FROM ideas')).rows[0].n;

t.test('PING, signatures, stale timestamps and replays', async (t) => {
  const ping = { id: snowflake(), application_id: APPLICATION_ID, type: 1, token: 'x', version: 1 };
  const ok = await interact(stack.app, key.privateKey, ping);
  t.equal(ok.status, 200);
  t.same(ok.body, { type: 1 }, 'PING answers PONG');

  const stranger = discordTestKey();
  const forged = await interact(stack.app, stranger.privateKey, { ...ping, id: snowflake() });
  t.equal(forged.status, 401);
  t.equal(forged.body.code, 'INVALID_SIGNATURE', 'signed by another key');

  const admin = member('admin', MANAGE_GUILD);
  const setup = commandInteraction(admin, where, 'setup', { space: 'blocktrack' });
  const body = JSON.stringify(setup);
  const tampered = await interact(stack.app, key.privateKey, setup, {
    headers: signRequest(key.privateKey, body),
    rawBody: body.replace('blocktrack', 'blocktracc'),
  });
  t.equal(tampered.status, 401, 'a body changed after signing');
  t.equal(tampered.body.code, 'INVALID_SIGNATURE');
  const missing = await interact(stack.app, key.privateKey, setup, { headers: { 'content-type': 'application/json' } });
  t.equal(missing.status, 401, 'no signature headers');

  const stale = await interact(stack.app, key.privateKey, setup, { timestamp: nowSeconds() - 600 });
  t.equal(stale.status, 401);
  t.equal(stale.body.code, 'STALE_TIMESTAMP');
  const future = await interact(stack.app, key.privateKey, { ...setup, id: snowflake() }, { timestamp: nowSeconds() + 600 });
  t.equal(future.body.code, 'STALE_TIMESTAMP');
  const bound = await stack.app.db.pool.query('SELECT 1 FROM discord_guilds');
  t.equal(bound.rowCount, 0, 'refused requests changed nothing');

  const done = await interact(stack.app, key.privateKey, setup);
  t.equal(done.status, 200);
  t.match(done.body, { type: 4, data: { flags: 64, content: /Connected to space `blocktrack`/ } });
  const replay = await interact(stack.app, key.privateKey, setup);
  t.equal(replay.status, 409, 'the same signed interaction twice');
  t.equal(replay.body.code, 'DUPLICATE_INTERACTION');
});

t.test('unknown commands, /setup consent, unlinked users', async (t) => {
  const unknown = await interact(stack.app, key.privateKey, commandInteraction(member('bob'), where, 'vote'));
  t.equal(unknown.status, 200);
  t.match(unknown.body, { type: 4, data: { flags: 64, content: /Unknown command \/vote/ } });

  const noPermission = await interact(stack.app, key.privateKey, commandInteraction(member('bob'), where, 'setup', { space: 'blocktrack' }));
  t.match(noPermission.body.data.content, /Manage Server/);
  t.equal((await createSpace(stack, 'other', {})).status, 200);
  const notNamed = await interact(stack.app, key.privateKey, commandInteraction(member('boss', MANAGE_GUILD), where, 'setup', { space: 'other' }));
  t.match(notNamed.body.data.content, /must name this server/, 'the space must name the guild');
  const elsewhere = await interact(stack.app, key.privateKey, commandInteraction(member('boss'), { guildId: snowflake(), channelId: snowflake() }, 'ideas'));
  t.match(elsewhere.body.data.content, /not connected to a govrelay space/);

  const unlinked = member('carol');
  const idea = await interact(stack.app, key.privateKey, commandInteraction(unlinked, where, 'idea', { title: 'Lower fees', description: 'Halve them.' }));
  t.equal(idea.status, 200);
  t.match(idea.body, { type: 4, data: { flags: 64, content: /Link your wallet first/ } }, '/idea by an unlinked user is refused privately');
  t.equal(await ideaCount(), 0, 'and stores nothing');

  // An idea by a linked member; an unlinked member presses Support.
  const author = member('alice');
  t.equal((await linkWallet(stack.app, key.privateKey, author, where, stack.wallets[1]!)).status, 200);
  receiver.channelOfToken.clear();
  const posted = await interact(stack.app, key.privateKey, commandInteraction(author, where, 'idea', { title: 'Lower fees', description: 'Halve them.' }));
  t.same(posted.body, { type: 5 }, '/idea is deferred');
  await stack.app.discord.services.tasks.idle();
  const ideaId = (await stack.app.db.pool.query('SELECT id FROM ideas')).rows[0].id;
  const press = await interact(stack.app, key.privateKey, buttonInteraction(unlinked, where, `idea:support:${ideaId}`, snowflake()));
  t.match(press.body, { type: 4, data: { flags: 64, content: /Link your wallet first/ } }, 'Support by an unlinked user is refused privately');
  t.equal((await stack.app.db.pool.query('SELECT 1 FROM idea_supports')).rowCount, 0, 'and records nothing');
  const bogus = await interact(stack.app, key.privateKey, buttonInteraction(unlinked, where, 'idea:explode:123', snowflake()));
  t.match(bogus.body.data.content, /not one of ours/);
  const wrongType = await interact(stack.app, key.privateKey, { ...commandInteraction(unlinked, where, 'idea'), type: 4 });
  t.equal(wrongType.status, 400);
  t.equal(wrongType.body.code, 'UNSUPPORTED_INTERACTION');
});

t.test('wallet links: EOA and EIP-1271, one-time tokens, replace, move, unlink', async (t) => {
  const dana = member('dana');
  const [, , bob, carol] = stack.wallets as any[];

  const first = await linkWallet(stack.app, key.privateKey, dana, where, bob);
  t.equal(first.status, 200, JSON.stringify(first.body));
  t.same(first.body, { discordUserId: dana.id, address: bob.address.toLowerCase(), previousAddress: null });
  const reuse = await stack.app.inject({ method: 'GET', url: `/api/discord/link/${first.token}` });
  t.equal(reuse.statusCode, 404, 'a link token works once');
  t.equal(reuse.json().code, 'LINK_REQUEST_NOT_FOUND');
  await stack.app.discord.services.tasks.idle();
  const confirmation = receiver.find('PATCH', /\/messages\/@original$/).at(-1)!;
  t.match(confirmation.body.content, /Linked to/, 'the private /link answer is updated in Discord');

  const replaced = await linkWallet(stack.app, key.privateKey, dana, where, carol);
  t.equal(replaced.body.previousAddress, bob.address.toLowerCase(), 're-linking replaces the old link');
  const status = await interact(stack.app, key.privateKey, commandInteraction(dana, where, 'link', { action: 'status' }));
  t.match(status.body.data.content, new RegExp(carol.address.toLowerCase()));

  const erin = member('erin');
  const moved = await linkWallet(stack.app, key.privateKey, erin, where, carol);
  t.equal(moved.status, 200);
  t.match(
    (await interact(stack.app, key.privateKey, commandInteraction(dana, where, 'link', { action: 'status' }))).body.data.content,
    /not linked/,
    'a wallet belongs to one Discord user: it moved',
  );

  const wrongSigner = await linkWallet(stack.app, key.privateKey, dana, where, bob, { as: stack.wallets[4]!.address });
  t.equal(wrongSigner.status, 401, 'signed by another wallet');
  t.equal(wrongSigner.body.code, 'SIGNER_MISMATCH');

  // Someone else's token: the signed discordUserId must be the request's.
  const answer = await interact(stack.app, key.privateKey, commandInteraction(dana, where, 'link'));
  const token = new URL(answer.body.data.components[0].components[0].url).searchParams.get('token')!;
  t.match(answer.body.data.components[0].components[0].url, /^https:\/\/govrelay\.test\/discord\/link\?token=/);
  const { typedData } = (await stack.app.inject({ method: 'GET', url: `/api/discord/link/${token}` })).json();
  const message = { ...typedData.message, from: bob.address, discordUserId: erin.id };
  const sig = await bob.signTypedData(typedData.domain, { LinkDiscord: typedData.types.LinkDiscord }, message);
  const mismatch = await stack.app.inject({
    method: 'POST',
    url: '/api/discord/link',
    payload: { address: bob.address, sig, data: { ...typedData, message } },
  });
  t.equal(mismatch.json().code, 'LINK_MISMATCH');
  const asVote = await stack.submit({ address: bob.address, sig, data: { ...typedData, message } });
  t.equal(asVote.body.code, 'UNKNOWN_TYPE', 'LinkDiscord is not a governance message');

  // A contract wallet (EIP-1271) links like an EOA, signed by its owner.
  const owner = stack.wallets[8]!;
  const smart = (await deployContract(stack.wallets[0]!, 'TestSmartWallet', [owner.address])) as Contract;
  const fred = member('fred');
  const viaContract = await linkWallet(stack.app, key.privateKey, fred, where, owner, { as: smart.target as string });
  t.equal(viaContract.status, 200, JSON.stringify(viaContract.body));
  const row = (await stack.app.db.pool.query('SELECT address, sig_kind, sig_block FROM discord_links WHERE discord_user_id = $1', [fred.id])).rows[0];
  t.equal(row.address, (smart.target as string).toLowerCase());
  t.equal(row.sig_kind, 'eip1271');
  t.ok(row.sig_block !== null, 'the block of the contract check is kept');

  const unlink = await interact(stack.app, key.privateKey, commandInteraction(fred, where, 'link', { action: 'unlink' }));
  t.match(unlink.body.data.content, /Unlinked/);
  t.equal((await stack.app.db.pool.query('SELECT 1 FROM discord_links WHERE discord_user_id = $1', [fred.id])).rowCount, 0);

  // The page is the members' app (web/src/pages/DiscordPage.tsx): its index.html with the app's CSP.
  const page = await stack.app.inject({ method: 'GET', url: '/discord/link?token=abc' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.headers['content-security-policy'], /script-src 'self'[;]/);
  t.notMatch(page.headers['content-security-policy'], /nonce-|unsafe-inline/);
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.match(page.body, /<div id="root"><\/div>/);
  t.match(page.body, /<script type="module"[^>]* src="\/assets\/index-[^"]+\.js"/);
  t.notMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
});

t.test('an idea whose message cannot be posted is withdrawn, and the author is told', async (t) => {
  const gina = member('gina');
  t.equal((await linkWallet(stack.app, key.privateKey, gina, where, stack.wallets[6]!)).status, 200);
  const command = commandInteraction(gina, where, 'idea', { title: 'Unlucky', description: 'Discord is down.' });
  const original = `/api/v10/webhooks/${APPLICATION_ID}/${command.token}/messages/@original`;
  receiver.script('PATCH', original, [{ status: 400, body: { message: 'Invalid Form Body', code: 50035 } }]);
  t.same((await interact(stack.app, key.privateKey, command)).body, { type: 5 });
  await stack.app.discord.services.tasks.idle();
  const patches = receiver.find('PATCH', original);
  t.same(
    patches.map((p) => p.status),
    [400, 200],
    'a 400 is not retried; the deferred answer is replaced by an apology',
  );
  t.match(patches[1]!.body.content, /did not work/);
  const state = (await stack.app.db.pool.query('SELECT state FROM ideas WHERE author_discord_id = $1', [gina.id])).rows[0].state;
  t.equal(state, 'withdrawn');
});

t.test('the feature is off without DISCORD_PUBLIC_KEY', async (t) => {
  const off = await stack.startApp({ DISCORD_PUBLIC_KEY: undefined });
  const ping = await interact(off, key.privateKey, { id: snowflake(), application_id: APPLICATION_ID, type: 1, token: 'x' });
  t.equal(ping.status, 503);
  t.equal(ping.body.code, 'DISCORD_DISABLED');
  t.equal((await off.inject({ method: 'GET', url: '/discord/link?token=x' })).statusCode, 503);
  t.equal((await off.inject({ method: 'GET', url: '/api/discord/link/aaaaaaaaaaaaaaaaaaaa' })).json().code, 'DISCORD_DISABLED');
  t.equal((await off.inject({ method: 'GET', url: '/api/ideas' })).statusCode, 200, 'reading ideas still works');
});

t.test('command definitions: within Discord limits, registered with the bot token', async (t) => {
  t.same(
    COMMANDS.map((c) => c.name),
    ['idea', 'ideas', 'proposal', 'link', 'setup'],
  );
  for (const command of COMMANDS) {
    t.match(command.name, /^[-_a-z0-9]{1,32}$/);
    t.ok(command.description.length >= 1 && command.description.length <= 100, `/${command.name} description length`);
    for (const option of 'options' in command ? command.options : []) t.ok(option.description.length <= 100, `/${command.name} ${option.name}`);
  }
  const registered = await registerCommands({ apiBase: receiver.apiBase, applicationId: APPLICATION_ID, botToken: 'test-bot-token', guildId });
  t.equal(registered.length, 5);
  const [put] = receiver.find('PUT', `/api/v10/applications/${APPLICATION_ID}/guilds/${guildId}/commands`);
  t.equal(put!.headers.authorization, 'Bot test-bot-token');
});

t.test('Discord configuration: off by default, bad values refused at start', async (t) => {
  const defaults = loadConfig({});
  t.equal(defaults.DISCORD_PUBLIC_KEY, undefined, 'the feature is off unless configured');
  t.equal(defaults.DISCORD_API_BASE, 'https://discord.com/api/v10');
  t.equal(defaults.WEBHOOK_ALLOW_PRIVATE_URLS, 'false');
  const error = t.throws(() => loadConfig({ DISCORD_PUBLIC_KEY: 'not-hex', WEBHOOK_ALLOW_PRIVATE_URLS: 'yes', PUBLIC_URL: 'ftp://x' })) as ConfigError;
  t.type(error, ConfigError);
  t.match(error.message, /DISCORD_PUBLIC_KEY/);
  t.match(error.message, /WEBHOOK_ALLOW_PRIVATE_URLS/);
  t.match(error.message, /PUBLIC_URL/);
});
