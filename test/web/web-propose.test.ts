/// <reference lib="dom" />
/**
 * Proposing and administering from the members' app in real Chromium, with the injected test wallet,
 * every action from the keyboard: an author builds an executable treasury transfer (the server decodes
 * and simulates it and gives the payload hash before the signature), votes carry it, the relayer
 * schedules it, the chain clock is advanced, and the page follows it to executed with the decoded
 * payload and the operation id; an admin's settings change checked by the server's dry run, then
 * signed; a non-admin is told; a moderator cancels. No console errors.
 */
import t, { type Test } from 'tap';
import { Wallet } from 'ethers';
import type { Page } from 'puppeteer-core';
import { injectWallet, openPage, screenshots, type TestLike, buttonWithText, press } from '../helpers/browser.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { textOf, propose } from '../helpers/web-flows.js';
import { balanceOf, castVote, GRANT, setupTreasury } from '../helpers/relay-flow.js';
import { createSpace, spaceSettings, waitFor } from '../helpers/stack.js';
import { executionPlan } from '../../core/executions/operation.js';

let web: WebStack;
let stack: WebStack['stack'];
let server: WebStack['server'];
let baseUrl: string;
let browser: WebStack['browser']['browser'];

t.before(async () => {
  web = await startWebStack({ dao: { minDelay: 60 } });
  ({ stack, server, baseUrl } = web);
  browser = web.browser.browser;
  await setupTreasury(stack);
});
t.teardown(() => web?.close());

/** Types into a field from the keyboard (focus, select all, then the text as key input). */
async function typeInto(page: Page, selector: string, text: string) {
  await page.waitForSelector(selector);
  await page.focus(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.keyboard.sendCharacter(text);
}

async function open(t: Test, path: string, walletIndex: number, allowErrors: RegExp[] = []) {
  const { page } = await openPage(t as unknown as TestLike, browser, { allowErrors });
  const wallet = await injectWallet(page, stack.wallets[walletIndex]!, { chainId: stack.chain.chainId });
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle0' });
  return { page, wallet };
}

async function connect(page: Page) {
  await press(page, await buttonWithText(page, 'Connect wallet'));
  await press(page, await buttonWithText(page, 'Connect Test Wallet'));
}

t.test('an author proposes a treasury transfer, sees it decoded and simulated before signing, and follows it to executed', async (t) => {
  const grantee = Wallet.createRandom().address;
  const { page } = await open(t, '/spaces/blocktrack/propose', 1);
  await connect(page);
  await typeInto(page, 'input[name=title]', 'Fund the course material');
  await typeInto(page, 'textarea[name=body]', '## Why\n\nThe **learn-to-earn** track needs material.');
  await press(page, await buttonWithText(page, 'Preview'));
  await page.waitForSelector('.body-preview h2');
  t.equal(await textOf(page, '.body-preview h2'), 'Why', 'the Markdown preview');
  await press(page, await buttonWithText(page, 'Write'));
  await page.focus('select[name=execution]');
  await page.keyboard.press('ArrowDown');
  t.equal(await page.$eval('select[name=execution]', (el) => (el as HTMLSelectElement).value), 'timelock');
  await press(page, await buttonWithText(page, 'Add token transfer'));
  await typeInto(page, 'input[name=to-0]', grantee);
  await typeInto(page, 'input[name=amount-0]', '5');
  await press(page, await buttonWithText(page, 'Check calls'));
  await page.waitForSelector('.payload-preview .call-text');
  t.equal(await textOf(page, '.payload-preview .call-text'), `5 BTK from the treasury to ${grantee}`, 'decoded for people before signing');
  t.match(await textOf(page, '.payload-preview .simulation-ok'), /succeeds/, 'simulated from the treasury');
  const shownHash = /0x[0-9a-f]{64}/.exec(await textOf(page, '.payload-preview'))?.[0];
  await screenshots(page, 'propose-transfer');
  await press(page, await buttonWithText(page, 'Sign and publish'));
  await page.waitForFunction(() => /^\/proposals\/0x[0-9a-f]{64}$/.test(location.pathname), { timeout: 15_000 });
  const id = (await page.evaluate(() => location.pathname)).split('/').pop()!;
  const proposal = (await stack.get(`/api/proposals/${id}`)).body;
  t.equal(proposal.payloadHash, shownHash, 'the payload hash shown before signing is the one signed');
  t.equal(proposal.execution, 'timelock');
  t.equal(proposal.author, stack.wallets[1]!.address.toLowerCase());

  const [, alice, bob, carol] = stack.wallets;
  await castVote(stack, id, alice!, 1, '1');
  await castVote(stack, id, bob!, 1, '2');
  await castVote(stack, id, carol!, 1, '1');
  await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.state === 'consensus', 20_000, 50);
  await castVote(stack, id, alice!, 2, '1');
  await castVote(stack, id, carol!, 2, '1');
  await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.state === 'queued', 20_000, 50);

  const provider = stack.chain.provider;
  const ticker = setInterval(() => void provider.send('evm_mine', []).catch(() => undefined), 1000);
  t.teardown(() => clearInterval(ticker));
  const relayer = await stack.startRelayer();
  await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.executionStatus?.status === 'scheduled', 30_000, 100);
  await provider.send('evm_increaseTime', [61]);
  await provider.send('evm_mine', []);
  await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.executionStatus?.status === 'executed', 30_000, 100);
  await relayer.close();
  t.equal(await balanceOf(stack, grantee), GRANT, 'the grantee was paid');

  await page.waitForFunction(() => document.querySelector('.proposal .meta')?.textContent?.toLowerCase().includes('executed'), { timeout: 10_000 });
  t.pass('the open page followed the proposal to executed');
  t.equal(await textOf(page, '.payload .call-text'), `5 BTK from the treasury to ${grantee}`);
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const plan = executionPlan({ id, title: proposal.title, executionMode: 'timelock', payload: proposal.payload, rules: { settings: space.settings } });
  t.match(await page.$eval('.payload .operation', (el) => el.textContent ?? ''), plan.operationId, 'the operation id the relayer used, with its inputs');
  await screenshots(page, 'proposal-executed');
});

t.test('the payload builder: a contract call from an ABI fragment and an ETH transfer, with their simulated failures, before anything is signed', async (t) => {
  const someone = Wallet.createRandom().address;
  const { page, wallet } = await open(t, '/spaces/blocktrack/propose', 1);
  await connect(page);
  await page.focus('select[name=execution]');
  await page.keyboard.press('ArrowDown');
  await press(page, await buttonWithText(page, 'Add contract call'));
  await typeInto(page, '.call-row:nth-of-type(1) label:nth-of-type(1) input', stack.dao!.addresses.reputation);
  await typeInto(page, '.call-row:nth-of-type(1) label:nth-of-type(2) input', 'function grant(address account, uint256 points)');
  await typeInto(page, '.call-row:nth-of-type(1) textarea', `${someone}\n3`);
  await press(page, await buttonWithText(page, 'Add ETH transfer'));
  await typeInto(page, 'input[name=to-1]', someone);
  await typeInto(page, 'input[name=amount-1]', '0.5');
  await press(page, await buttonWithText(page, 'Check calls'));
  await page.waitForSelector('.payload-preview');
  const texts = await page.$$eval('.payload-preview .call-text', (els) => els.map((e) => e.textContent));
  t.same(texts, [
    `the treasury calls grant(account = ${someone}, points = 3) on ${stack.dao!.addresses.reputation}`,
    `0.5 ETH from the treasury to ${someone}`,
  ]);
  const failures = await page.$$eval('.payload-preview .simulation-failed', (els) => els.map((e) => e.textContent ?? ''));
  t.match(failures, [/would fail now — NotIssuer\(0x/i, /holds 0 ETH/], 'both failures shown, decoded');
  t.notOk(
    wallet.calls.some((c) => c.method === 'eth_signTypedData_v4'),
    'nothing signed',
  );
});

t.test("an admin changes the settings: the server's problems first, then signed and saved; a non-admin is told", async (t) => {
  const before = (await stack.get('/api/spaces/blocktrack/history')).body.items.length;
  const outsider = await open(t, '/spaces/blocktrack/settings', 9);
  await connect(outsider.page);
  t.match(await textOf(outsider.page, '[role=alert]'), /Only an admin of this space may change its settings/);

  const { page } = await open(t, '/spaces/blocktrack/settings', 0);
  await connect(page);
  const current = (await stack.get('/api/spaces/blocktrack')).body.settings;
  await typeInto(page, 'textarea[name=settings]', JSON.stringify({ ...current, name: '' }, null, 2));
  await press(page, await buttonWithText(page, 'Check with the server'));
  await page.waitForSelector('.settings-problems');
  t.match(await textOf(page, '.settings-problems'), /\/name/, 'the server names the problem');
  await typeInto(page, 'textarea[name=settings]', JSON.stringify({ ...current, name: 'Blocktrack Treasury' }, null, 2));
  await press(page, await buttonWithText(page, 'Sign and save'));
  await page.waitForSelector('.settings-saved', { timeout: 15_000 });
  const after = (await stack.get('/api/spaces/blocktrack')).body.settings;
  t.equal(after.name, 'Blocktrack Treasury');
  const history = (await stack.get('/api/spaces/blocktrack/history')).body.items;
  t.equal(history.length, before + 1, 'one signed change');
  t.equal(history.at(-1).actor, stack.wallets[0]!.address.toLowerCase());
  t.same(
    spaceSettings(stack, {}).admins.map((a: string) => a.toLowerCase()),
    after.admins,
    'nothing else changed',
  );
});

t.test('a moderator cancels a proposal', async (t) => {
  // blocktrack's stages last 3 s (for the execution flow): this proposal needs one that stays open.
  const long = { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
  const created = await createSpace(stack, 'slow', { temperature: long });
  t.equal(created.status, 200, JSON.stringify(created.body));
  const id = await propose(stack, server, { space: 'slow', title: 'To be cancelled', votingType: 'basic' });
  const { page } = await open(t, `/proposals/${id}`, 5);
  await connect(page);
  await press(page, await buttonWithText(page, 'Sign: cancel this proposal'));
  await waitFor(async () => (await stack.get(`/api/proposals/${id}`)).body.state === 'cancelled', 10_000, 100);
  await page.waitForFunction(() => document.querySelector('.proposal .meta')?.textContent?.toLowerCase().includes('cancelled'), { timeout: 10_000 });
  t.pass('cancelled, and the page says so');
});
