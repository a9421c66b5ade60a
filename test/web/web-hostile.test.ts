/**
 * Hostile content renders inert and readable: a proposal whose title, body, choices and vote reasons
 * carry <script>, onerror= handlers, javascript: and data: links and ~100 KB of text. Nothing runs
 * (a global flag stays unset), the Content-Security-Policy never has to step in (no violation: the
 * sanitiser already removed everything active), no link points at javascript:, and the text reads
 * as written.
 */
import t, { type Test } from 'tap';
import { axeViolations, openPage, screenshots } from '../helpers/browser.js';
import { createSpace, TOKEN } from '../helpers/stack.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { propose, vote } from '../helpers/web-flows.js';

const VOTERS = 18;
const holders: Record<number, bigint> = {};
for (let i = 0; i < VOTERS; i++) holders[i] = BigInt(i + 1) * TOKEN;

const flag = (where: string) => `window.__pwned=${JSON.stringify(where)}`;
const TITLE = `<script>${flag('title')}</script><img src=x onerror="${flag('title-img')}"> "Ünïcode" & <b>bold</b>`;
const CHOICES = [`<script>${flag('choice')}</script>`, `<img src=x onerror=${flag('choice-img')}>`, 'javascript:alert(1)'];
const BODY_HEAD = [
  `<script>${flag('body')}</script>`,
  `<img src=x onerror="${flag('body-img')}">`,
  `<svg onload="${flag('body-svg')}"><circle r=1 /></svg>`,
  `<iframe src="javascript:${flag('body-iframe')}"></iframe>`,
  `<a href="javascript:${flag('body-a')}">raw anchor</a>`,
  `[markdown link](javascript:${flag('body-md')})`,
  `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `<form action="https://evil.example"><button>submit</button></form>`,
  `[a fine link](https://example.org/fine)`,
  '',
].join('\n\n');
const BODY = BODY_HEAD + 'Lorem ipsum dolor sit amet. '.repeat(400).slice(0, 10_000 - BODY_HEAD.length);
const reasonOf = (i: number) => {
  const head = `<script>${flag(`reason-${i}`)}</script><img src=x onerror="${flag(`reason-img-${i}`)}"> javascript:${flag(`reason-js-${i}`)} `;
  return head + 'x'.repeat(5_000 - head.length);
};

let web: WebStack;
let proposal: string;

t.before(async () => {
  web = await startWebStack({ holders });
  const created = await createSpace(web.stack, 'hostile', { name: '<img src=x onerror=alert(1)> Space', about: `<script>${flag('about')}</script>` });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  proposal = await propose(web.stack, web.server, {
    space: 'hostile',
    title: TITLE,
    body: BODY,
    choices: CHOICES,
    votingType: 'single-choice',
    discussion: 'https://example.org/discussion',
  });
  for (let i = 0; i < VOTERS; i++) await vote(web.stack, web.server, i, 'hostile', proposal, String((i % 3) + 1), reasonOf(i));
});
t.teardown(() => web?.close());

/** Records CSP violations from the first script on, to show the CSP was never needed. */
async function watchViolations(page: import('puppeteer-core').Page) {
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

async function assertInert(t: Test, page: import('puppeteer-core').Page) {
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
    violations: (window as unknown as { __violations: string[] }).__violations,
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    javascriptLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!).filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)),
    handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
    active: document.querySelectorAll('main iframe, main object, main embed, main form, main img, main script').length,
  }));
  t.equal(state.pwned, null, 'no injected script ran');
  t.same(state.violations, [], 'the CSP never had to block anything');
  t.ok(
    state.scripts.every((src) => src !== null && src.startsWith('/assets/')),
    "only the app's own scripts are on the page",
  );
  t.same(state.javascriptLinks, [], 'no javascript: or data: link');
  t.same(state.handlers, [], 'no inline event handler attribute');
  t.equal(state.active, 0, 'no iframe, object, embed, form, image or script from the content');
}

t.test('the proposal page renders every hostile field inert and readable', async (t) => {
  const { page } = await openPage(t, web.browser.browser);
  await watchViolations(page);
  await page.goto(`${web.baseUrl}/proposals/${proposal}`, { waitUntil: 'networkidle0' });
  await page.waitForFunction((n) => document.querySelectorAll('.votes tbody tr').length === n, {}, VOTERS);
  await assertInert(t, page);

  t.equal(await page.$eval('h1', (el) => (el as HTMLElement).innerText), TITLE, 'the title reads exactly as written');
  const choices = await page.$$eval('ol.choices li', (els) => els.map((e) => e.textContent));
  t.same(choices, CHOICES, 'the choices read as written');
  const bars = await page.$$eval('.bar .choice-name', (els) => els.map((e) => e.textContent));
  t.same(bars, CHOICES, 'the result bars name the choices as written');
  const body = await page.$eval('.markdown', (el) => (el as HTMLElement).innerText);
  t.match(body, /<script>window\.__pwned="body"<\/script>/, 'raw HTML in the body is shown as text');
  t.match(body, /Lorem ipsum dolor sit amet\./);
  t.ok(body.length > 9_000, `the whole body is on the page (${body.length} characters)`);
  const links = await page.$$eval('.markdown a', (els) => els.map((a) => ({ text: a.textContent, href: a.getAttribute('href'), rel: a.getAttribute('rel') })));
  t.same(
    links.find((l) => l.text === 'a fine link'),
    { text: 'a fine link', href: 'https://example.org/fine', rel: 'noopener noreferrer' },
  );
  t.ok(
    links.filter((l) => l.text !== 'a fine link').every((l) => l.href === null),
    'the javascript: and data: links lost their href',
  );
  const reasons = await page.$$eval('.votes td.reason .reason-text', (els) => els.map((e) => e.textContent ?? ''));
  t.equal(reasons.length, VOTERS);
  t.ok(
    reasons.every((r) => r.startsWith('<script>window.__pwned=') && r.endsWith('…')),
    'each long reason shows its start, as text',
  );
  // Every reason expanded: the whole ~100 KB of hostile text is on the page, still inert.
  for (const button of await page.$$('.votes td.reason button')) await button.click();
  const expanded = await page.$$eval('.votes td.reason .reason-text', (els) => els.map((e) => e.textContent ?? ''));
  t.same(
    expanded.map((r) => r.length),
    Array(VOTERS).fill(5_000),
    'each 5,000-character reason expands to the whole of it',
  );
  const textLength = await page.evaluate(() => document.body.innerText.length);
  t.ok(textLength > 95_000, `about 100 KB of hostile text on the page (${textLength} characters)`);
  t.same(await axeViolations(page), [], 'axe: still no serious or critical violation');
  await screenshots(page, 'hostile-proposal');
  await assertInert(t, page);
});

t.test('the space page and the directory render hostile names inert', async (t) => {
  const { page } = await openPage(t, web.browser.browser);
  await watchViolations(page);
  await page.goto(`${web.baseUrl}/spaces/hostile`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.proposal-row');
  t.equal(await page.$eval('.proposal-row .title', (el) => el.textContent), TITLE);
  t.equal(await page.$eval('h1', (el) => el.textContent), '<img src=x onerror=alert(1)> Space');
  await assertInert(t, page);
  await page.goto(`${web.baseUrl}/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('ul.spaces');
  t.match(await page.$eval('ul.spaces', (el) => (el as HTMLElement).innerText), /<script>window\.__pwned="about"<\/script>/);
  await assertInert(t, page);
});
