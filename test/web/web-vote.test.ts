/// <reference lib="dom" />
/**
 * Voting from the members' app in real Chromium, against the real stack, with the injected test
 * wallet (EIP-6963; signatures made in the test process): a member votes on every voting type from
 * the keyboard and sees the result; the receipt is verified in the browser; a re-vote starts from the
 * previous vote; a member without power at the snapshot is told before signing and by the server's
 * refusal; a wallet on the wrong network is switched. No console errors anywhere.
 */
import t, { type Test } from 'tap';
import type { Page } from 'puppeteer-core';
import { injectWallet, openPage, screenshots, type TestLike, buttonWithText, press } from '../helpers/browser.js';
import { createSpace, TOKEN } from '../helpers/stack.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { propose, textOf } from '../helpers/web-flows.js';

let web: WebStack;
let stack: WebStack['stack'];
let server: WebStack['server'];
let baseUrl: string;
let browser: WebStack['browser']['browser'];

t.before(async () => {
  web = await startWebStack();
  ({ stack, server, baseUrl } = web);
  browser = web.browser.browser;
  const longStage = { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 };
  const created = await createSpace(stack, 'blocktrack', { temperature: longStage });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
});
t.teardown(() => web?.close());

async function connect(page: Page) {
  await press(page, await buttonWithText(page, 'Connect wallet'));
  await press(page, await buttonWithText(page, 'Connect Test Wallet'));
}

async function openProposal(t: Test, id: string, walletIndex: number, options: { chainId?: number; allowErrors?: RegExp[] } = {}) {
  const { page } = await openPage(t as unknown as TestLike, browser, { allowErrors: options.allowErrors ?? [] });
  const wallet = await injectWallet(page, stack.wallets[walletIndex]!, { chainId: options.chainId ?? stack.chain.chainId });
  await page.goto(`${baseUrl}/proposals/${id}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#vote-heading');
  return { page, wallet };
}

async function signAndWaitReceipt(page: Page) {
  await press(page, await buttonWithText(page, 'Sign and'));
  await page.waitForSelector('.receipt-ok', { timeout: 15_000 });
}

async function myVote(id: string, walletIndex: number) {
  return (await stack.get(`/api/proposals/${id}/votes/${stack.wallets[walletIndex]!.address}`)).body.items[0];
}

const choices = ['Blue', 'Green', 'Red'];
/** The sentence web/src/vote/errors.ts gives ZERO_POWER. */
const NO_POWER = /^Your address had no voting power at this proposal’s snapshot block/;

t.test('basic: power before signing, a keyboard vote, the receipt verified, the result on the page, then a re-vote', async (t) => {
  const id = await propose(stack, server, { space: 'blocktrack', title: 'Basic vote', votingType: 'basic' });
  const { page, wallet } = await openProposal(t, id, 1);
  await connect(page);
  await page.waitForFunction(() => document.querySelector('.power')?.textContent?.includes('100'), { timeout: 15_000 });
  t.match(await textOf(page, '.power'), /Your voting power at snapshot block \d+: 100 /);
  t.notOk(
    wallet.calls.some((c) => c.method === 'eth_signTypedData_v4'),
    'nothing signed yet',
  );
  await press(page, 'input[type=radio][value="1"]', 'Space');
  await page.type('textarea', 'Ship it');
  await signAndWaitReceipt(page);
  const info = (await stack.get('/api/info', server)).body; // the receipt key of the instance the browser talks to
  t.match(
    await textOf(page, '.receipt'),
    new RegExp(`Receipt verified: leaf \\d+ of the server’s log, in the tree head of size \\d+ signed by its receipt key ${info.receiptSigner}`, 'i'),
  );
  const stored = await myVote(id, 1);
  t.same([stored.choice, stored.reason], [1, 'Ship it']);
  const message = (await stack.get(`/api/messages/${stored.messageId}`)).body;
  t.match(await textOf(page, '.receipt'), stored.messageId, 'the receipt shown is the stored message');
  t.ok(message.receipt?.treeHead, 'the server issued a receipt: the message is in its log');
  await page.waitForFunction(() => document.querySelector('.bar[data-choice="1"]')?.getAttribute('data-score') === (100n * 10n ** 18n).toString(), {
    timeout: 5_000,
  });
  t.pass('the result shows the vote');
  await screenshots(page, 'vote-basic');

  // Re-vote: a fresh page shows the previous vote and starts from it.
  const again = await openProposal(t, id, 1);
  await connect(again.page);
  t.match(await textOf(again.page, '.previous-vote'), /You voted For/);
  t.equal(await again.page.$eval('input[type=radio][value="1"]', (el) => (el as HTMLInputElement).checked), true, 'the previous choice is selected');
  t.equal(await again.page.$eval('textarea', (el) => (el as HTMLTextAreaElement).value), 'Ship it');
  await press(again.page, 'input[type=radio][value="2"]', 'Space');
  await signAndWaitReceipt(again.page);
  const changed = await myVote(id, 1);
  t.equal(changed.choice, 2, 'the re-vote replaced the vote');
  t.ok(BigInt(changed.timestamp) > BigInt(stored.timestamp));
});

t.test('every other voting type from the keyboard', async (t) => {
  const cases: { type: string; fill: (page: Page) => Promise<void>; expected: unknown }[] = [
    { type: 'single-choice', fill: (p) => press(p, 'input[type=radio][value="3"]', 'Space'), expected: 3 },
    {
      type: 'approval',
      fill: async (p) => {
        await press(p, 'fieldset.ballot label:nth-of-type(1) input', 'Space');
        await press(p, 'fieldset.ballot label:nth-of-type(3) input', 'Space');
        // Two clicks handled in one task both count: Green in, Blue out.
        await p.$$eval('fieldset.ballot input[type=checkbox]', (boxes) => {
          (boxes[1] as HTMLInputElement).click();
          (boxes[0] as HTMLInputElement).click();
        });
        await p.waitForFunction(
          () => [...document.querySelectorAll<HTMLInputElement>('fieldset.ballot input[type=checkbox]')].map((b) => b.checked).join() === 'false,true,true',
        );
      },
      expected: [2, 3],
    },
    {
      type: 'weighted',
      fill: async (p) => {
        await p.focus('input[aria-label="Weight for Blue"]');
        await p.keyboard.press('ArrowUp');
        await p.keyboard.press('ArrowUp');
        await p.focus('input[aria-label="Weight for Red"]');
        await p.keyboard.press('ArrowUp');
      },
      expected: { 1: 2, 3: 1 },
    },
    {
      type: 'quadratic',
      fill: async (p) => {
        await p.focus('input[aria-label="Weight for Green"]');
        await p.keyboard.press('ArrowUp');
      },
      expected: { 2: 1 },
    },
    {
      type: 'ranked-choice',
      fill: async (p) => {
        // Blue, Green, Red → Red first with Alt+↑ twice, then Blue below Green with the button.
        await p.focus('ol.ranking li:nth-child(3)');
        await p.keyboard.down('Alt');
        await p.keyboard.press('ArrowUp');
        await p.keyboard.press('ArrowUp');
        await p.keyboard.up('Alt');
        await press(p, 'button[aria-label="Move Blue down"]');
        // Red, Green, Blue → Red last with two Alt+↓ handled in one task, before React renders the
        // first: the second move must start from the first's order, not repeat it.
        await p.$eval('ol.ranking li:nth-child(1)', (li) => {
          for (let i = 0; i < 2; i++) li.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true }));
        });
        await p.waitForFunction(() => document.querySelector('ol.ranking li:nth-child(3)')?.getAttribute('aria-label') === '3. Red');
      },
      expected: [2, 1, 3],
    },
  ];
  for (const c of cases) {
    const id = await propose(stack, server, { space: 'blocktrack', title: `A ${c.type} vote`, votingType: c.type, choices });
    const { page } = await openProposal(t, id, 2);
    await connect(page);
    await page.waitForFunction(() => document.querySelector('.power')?.textContent?.includes('50'), { timeout: 15_000 });
    await c.fill(page);
    await signAndWaitReceipt(page);
    const stored = await myVote(id, 2);
    t.same(stored?.choice, c.expected, `${c.type}: the signed choice`);
    await page.waitForFunction(() => [...document.querySelectorAll('.bar')].some((b) => b.getAttribute('data-score') !== '0'), { timeout: 5_000 });
    t.pass(`${c.type}: the result shows the vote`);
    if (c.type === 'ranked-choice') await screenshots(page, 'vote-ranked');
  }
});

t.test('no power at the snapshot: told before signing, then the server refuses', async (t) => {
  const id = await propose(stack, server, { space: 'blocktrack', title: 'Nobody home', votingType: 'basic' });
  const { page, wallet } = await openProposal(t, id, 10, { allowErrors: [/status of 400/] });
  await connect(page);
  t.match(await textOf(page, '.no-power'), NO_POWER, 'told before any signature');
  t.notOk(wallet.calls.some((c) => c.method === 'eth_signTypedData_v4'));
  await press(page, 'input[type=radio][value="1"]', 'Space');
  await press(page, await buttonWithText(page, 'Sign and vote'));
  await page.waitForSelector('.vote-error');
  t.match(await textOf(page, '.vote-error'), NO_POWER, "the server's ZERO_POWER in words (web/src/vote/errors.ts)");
  t.equal(await myVote(id, 10), undefined, 'nothing stored');
});

t.test('the wrong network: told, switched with wallet_switchEthereumChain, then voting works', async (t) => {
  const id = await propose(stack, server, { space: 'blocktrack', title: 'Other network', votingType: 'basic' });
  const { page, wallet } = await openProposal(t, id, 3, { chainId: 1 });
  await connect(page);
  t.match(await textOf(page, '.wallet [role=alert]'), new RegExp(`on network 1; this community votes on network ${stack.chain.chainId}`));
  t.equal(await page.$('.vote-panel form'), null, 'no ballot on the wrong network');
  await press(page, await buttonWithText(page, `Switch to network ${stack.chain.chainId}`));
  await page.waitForSelector('.vote-panel form');
  t.equal(wallet.chainId, stack.chain.chainId);
  t.ok(wallet.calls.some((c) => c.method === 'wallet_switchEthereumChain'));
  await press(page, 'input[type=radio][value="1"]', 'Space');
  await signAndWaitReceipt(page);
  t.equal((await myVote(id, 3)).choice, 1);
});
