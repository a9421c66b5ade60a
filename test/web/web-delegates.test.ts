/// <reference lib="dom" />
/**
 * Delegation in the members' app, in real Chromium against the real stack with the injected test
 * wallet: from the space page to a delegate's page, a member delegates part of their power (the
 * signed Delegate is what the API then reports), the directory ranks the delegate with the power lent
 * at the next proposal's snapshot, their statement and delegators; then the member undelegates.
 */
import t from 'tap';
import type { Page } from 'puppeteer-core';
import { injectWallet, openPage, screenshots, type TestLike, buttonWithText, press } from '../helpers/browser.js';
import { createSpace } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { propose, textOf } from '../helpers/web-flows.js';
import { mineBlocks } from '../../scripts/local-chain.js';

let web: WebStack;
let stack: WebStack['stack'];
let server: WebStack['server'];
let baseUrl: string;
let browser: WebStack['browser']['browser'];

t.before(async () => {
  web = await startWebStack();
  ({ stack, server, baseUrl } = web);
  browser = web.browser.browser;
  const created = await createSpace(stack, 'blocktrack', { delegation: 'offchain' });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
});
t.teardown(() => web?.close());

async function connect(page: Page) {
  await press(page, await buttonWithText(page, 'Connect wallet'));
  await press(page, await buttonWithText(page, 'Connect Test Wallet'));
}

t.test('delegate from a delegate’s page, see the directory rank them, then undelegate', async (t) => {
  const member = stack.wallets[3]!; // 25 tokens
  const delegate = stack.wallets[6]!; // none
  const statement = await stack.submit(
    await stack.sign(delegate, 'DelegateStatement', {
      from: delegate.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      statement: 'I read every proposal and vote on all of them.',
      links: ['https://forum.example.org/t/delegate-6'],
    }),
    server,
  );
  t.equal(statement.status, 200);

  const { page } = await openPage(t as unknown as TestLike, browser);
  const wallet = await injectWallet(page, member, { chainId: stack.chain.chainId });
  await page.goto(`${baseUrl}/spaces/blocktrack`, { waitUntil: 'networkidle0' });
  await press(page, 'a[href="/spaces/blocktrack/delegates"]');
  await page.waitForSelector('#delegates-heading');
  t.match(await textOf(page, '.delegates'), /Nobody has been lent power here yet/, 'an empty directory before any proposal');

  await page.goto(`${baseUrl}/spaces/blocktrack/delegates/${delegate.address}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#delegate-heading');
  t.match(await textOf(page, '.statement'), /I read every proposal/, 'the statement is shown with the delegate');
  await connect(page);
  await page.waitForSelector('input[type=number]');
  await page.click('input[type=number]', { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type('input[type=number]', '40');
  await press(page, await buttonWithText(page, 'Sign and delegate'));
  await page.waitForSelector('.receipt-ok', { timeout: 15_000 });
  t.ok(
    wallet.calls.some((c) => c.method === 'eth_signTypedData_v4'),
    'the wallet signed',
  );
  const mine = (await stack.get(`/api/delegations/${member.address}`, server)).body.items;
  t.same(
    mine.map((d: { space: string; delegates: { address: string; bps: number }[] }) => [d.space, d.delegates]),
    [['blocktrack', [{ address: delegate.address.toLowerCase(), bps: 4000 }]]],
    'the signed Delegate is stored: 40 % to the delegate in this space',
  );

  await mineBlocks(stack.chain.provider, 2);
  await propose(stack, server, { space: 'blocktrack', title: 'After the delegation' });
  await page.goto(`${baseUrl}/spaces/blocktrack/delegates`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(`tr[data-delegate="${delegate.address.toLowerCase()}"]`, { timeout: 15_000 });
  const row = await textOf(page, `tr[data-delegate="${delegate.address.toLowerCase()}"]`);
  t.match(row, /^1/, 'ranked first');
  t.match(row, /10 BTK/, 'power lent: 40 % of 25');
  t.match(row, /I read every proposal/, 'with the statement');
  t.match(row, /voted on 0 of 1 proposal/, 'participation since the first delegation');
  await screenshots(page, 'delegates-directory');

  await page.goto(`${baseUrl}/spaces/blocktrack/delegates/${delegate.address}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.delegators');
  t.match(await textOf(page, '.delegators'), /40 %/, 'the delegate page lists the delegator and share');
  await connect(page);
  await press(page, await buttonWithText(page, 'Sign and undelegate'));
  await page.waitForSelector('.receipt-ok', { timeout: 15_000 });
  t.same((await stack.get(`/api/delegations/${member.address}`, server)).body.items, [], 'Undelegate ended it');
});
