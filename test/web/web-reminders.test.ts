/// <reference lib="dom" />
/**
 * Email reminders in the members' app, in real Chromium against the real stack, the injected test
 * wallet and a real SMTP server in-process: a member subscribes from the space page (the wallet
 * signs a Subscribe whose emailHash commits to the typed address), the confirmation mail arrives,
 * its link's page confirms with its POST; a bad address is refused with the server's code shown and
 * nothing stored; the member unsubscribes from the app with a signed Unsubscribe.
 */
import t from 'tap';
import pg from 'pg';
import type { Page } from 'puppeteer-core';
import { injectWallet, openPage, type TestLike, buttonWithText, press } from '../helpers/browser.js';
import { createSpace } from '../helpers/stack.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { textOf } from '../helpers/web-flows.js';
import { emailCommitment } from '../../server/reminders/email-address.js';

const PUBLIC_URL = 'http://govrelay.test';

let smtp: TestSmtp;
let web: WebStack;
let db: pg.Pool;

t.before(async () => {
  smtp = await startSmtp();
  web = await startWebStack({ config: { SMTP_URL: smtp.url, PUBLIC_URL } });
  db = new pg.Pool({ connectionString: web.stack.db.url, max: 2 });
  const created = await createSpace(web.stack, 'blocktrack');
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
});
t.teardown(async () => {
  await db?.end();
  await web?.close();
  await smtp?.close();
});

async function connect(page: Page) {
  await press(page, await buttonWithText(page, 'Connect wallet'));
  await press(page, await buttonWithText(page, 'Connect Test Wallet'));
  await page.waitForSelector('.reminders input[type=email]');
}

async function typeInto(page: Page, selector: string, text: string) {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

async function subscriptions(from: string) {
  const { rows } = await db.query<{ email: string; email_salt: string; status: string }>('SELECT * FROM email_subscriptions WHERE subscriber = lower($1)', [
    from,
  ]);
  return rows;
}

t.test('subscribe from the space page, confirm from the email, unsubscribe from the app', async (t) => {
  const member = web.stack.wallets[3]!;
  // The bad address below is refused with a 400: that one console error is expected.
  const { page } = await openPage(t as unknown as TestLike, web.browser.browser, { allowErrors: [/status of 400 .*\/api\/messages/] });
  const wallet = await injectWallet(page, member, { chainId: web.stack.chain.chainId });
  await page.goto(`${web.baseUrl}/spaces/blocktrack`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#reminders-heading');
  await connect(page);

  // A bad address: the server's code is shown and nothing is stored.
  await typeInto(page, '.reminders input[type=email]', 'not an address');
  await press(page, await buttonWithText(page, 'Sign and subscribe'));
  await page.waitForSelector('[data-testid=reminders-error]', { timeout: 15_000 });
  t.match(await textOf(page, '[data-testid=reminders-error]'), /^INVALID_EMAIL: /, 'the refusal as CODE: message');
  t.same(await subscriptions(member.address), [], 'nothing stored for the bad address');

  // The real thing: results too, and a 6-hour closing reminder.
  await typeInto(page, '.reminders input[type=email]', 'member@example.org');
  await page.click('.reminders input[name=results]');
  await typeInto(page, '.reminders input[name=closingHours]', '6');
  await press(page, await buttonWithText(page, 'Sign and subscribe'));
  await page.waitForSelector('[data-testid=reminders-pending]', { timeout: 15_000 });
  t.match(await textOf(page, '[data-testid=reminders-pending]'), /Check your email.*member@example\.org/);
  t.ok(
    wallet.calls.some((c) => c.method === 'eth_signTypedData_v4'),
    'the wallet signed',
  );
  const [pending] = await subscriptions(member.address);
  t.equal(pending?.status, 'pending', 'stored pending until confirmed');
  t.equal(pending?.email, 'member@example.org');
  const published = await db.query<{ e: { data: { message: { emailHash: string; events: string[]; closingHours: number } }; email?: { salt: string } } }>(
    `SELECT envelope AS e FROM signed_messages WHERE type = 'Subscribe'`,
  );
  t.equal(published.rows.length, 1);
  const signed = published.rows[0]!.e.data.message;
  t.same(signed.events, ['proposal', 'closing', 'results'], 'the events ticked');
  t.equal(Number(signed.closingHours), 6, 'N as typed');
  t.notOk(JSON.stringify(published.rows[0]!.e).includes('member@example.org'), 'the address is not in the published message');
  t.match(pending?.email_salt, /^0x[0-9a-f]{64}$/, 'a salt of 32 bytes came with it');
  t.equal(signed.emailHash, emailCommitment('member@example.org', pending!.email_salt), 'the browser signed the salted commitment');

  // The confirmation mail, and its link's page: only the page's POST confirms.
  const [mail] = await smtp.waitFor('member@example.org');
  const link = new RegExp(`${PUBLIC_URL}(/api/reminders/confirm/[0-9a-f]{64})`).exec(mail!.text);
  t.ok(link, 'the mail carries a confirmation link');
  await page.goto(`${web.baseUrl}${link![1]}`, { waitUntil: 'networkidle0' });
  t.equal((await subscriptions(member.address))[0]?.status, 'pending', 'opening the link confirms nothing');
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), press(page, await buttonWithText(page, 'Confirm'))]);
  t.equal((await subscriptions(member.address))[0]?.status, 'confirmed', 'the page’s POST confirmed it');

  // Unsubscribe from the app.
  await page.goto(`${web.baseUrl}/spaces/blocktrack`, { waitUntil: 'networkidle0' });
  await connect(page);
  await press(page, await buttonWithText(page, 'Unsubscribe'));
  await page.waitForSelector('[data-testid=reminders-ended]', { timeout: 15_000 });
  const after = await subscriptions(member.address);
  t.notOk(
    after.some((s) => s.status === 'pending' || s.status === 'confirmed'),
    `the signed Unsubscribe ended it (${JSON.stringify(after.map((s) => s.status))})`,
  );
});
