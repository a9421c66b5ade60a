/**
 * The members' app in real Chromium against the real stack: the spaces directory with search and
 * sub-spaces, a space page with its rules and proposals, a proposal page with its live results (a
 * second open page sees a new vote within 1 s), the votes table exported as CSV equal to the API's
 * votes. Every page fails its test on any console error; screenshots land in test-artifacts/.
 */
import t from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, injectWallet, openPage, screenshots } from '../helpers/browser.js';
import { createSpace, TOKEN } from '../helpers/stack.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { apiVotes, propose, textOf, vote } from '../helpers/web-flows.js';

let web: WebStack;
let stack: WebStack['stack'];
let server: WebStack['server'];
let baseUrl: string;
let browser: WebStack['browser']['browser'];
let proposal: string;

t.before(async () => {
  web = await startWebStack({ holders: { 1: 100n * TOKEN, 2: 50n * TOKEN, 3: 25n * TOKEN, 4: 9n * TOKEN, 5: 3n * TOKEN }, dao: {} });
  ({ stack, server, baseUrl } = web);
  browser = web.browser.browser;
  const longStage = { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: (60n * TOKEN).toString() }, passThresholdBps: 5000 };
  for (const [id, overrides] of [
    ['blocktrack', { about: 'The Blocktrack community treasury.', temperature: longStage, executor: web.stack.dao!.addresses.timelock }],
    ['grants', { name: 'Blocktrack Grants', parent: 'blocktrack', temperature: longStage }],
    ['other', { name: 'Other Collective', temperature: longStage }],
  ] as const) {
    const created = await createSpace(stack, id, overrides);
    if (created.status !== 200) throw new Error(`space ${id} refused: ${JSON.stringify(created.body)}`);
  }
  proposal = await propose(stack, server, {
    space: 'blocktrack',
    title: 'Colour of the logo',
    body: '## Why\n\nOur logo is **old**. See [the thread](https://example.org/thread).',
    choices: ['Blue', 'Green', 'Red'],
    votingType: 'single-choice',
    discussion: 'https://example.org/forum/1',
  });
  await vote(stack, server, 1, 'blocktrack', proposal, '1', 'Blue is calm');
  await vote(stack, server, 2, 'blocktrack', proposal, '2', 'Green, obviously');
});
t.teardown(() => web?.close());

t.test('server: the app at /, client routes answer index.html with a strict CSP, the API keeps its JSON 404', async (t) => {
  const html = await server.inject({ method: 'GET', url: '/spaces/blocktrack', headers: { accept: 'text/html' } });
  t.equal(html.statusCode, 200);
  t.match(html.headers['content-type'], /text\/html/);
  const csp = String(html.headers['content-security-policy']);
  t.match(csp, /script-src 'self'(;|$)/);
  t.match(csp, /frame-ancestors 'none'/);
  t.match(csp, /connect-src 'self' ws:\/\/localhost:80 wss:\/\/localhost:80/);
  t.notMatch(csp, /unsafe-inline|unsafe-eval/);
  t.equal(html.headers['x-content-type-options'], 'nosniff');
  t.equal(html.headers['referrer-policy'], 'no-referrer');
  t.notMatch(html.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the HTML');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html.body)?.[1];
  t.ok(asset, 'the HTML loads a built script');
  const js = await server.inject({ method: 'GET', url: asset! });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.equal(js.headers['x-content-type-options'], 'nosniff');
  const apiMiss = await server.inject({ method: 'GET', url: '/api/nothing-here', headers: { accept: 'text/html' } });
  t.equal(apiMiss.statusCode, 404);
  t.equal(apiMiss.json().code, 'NOT_FOUND');
  const jsonMiss = await server.inject({ method: 'GET', url: '/somewhere' });
  t.equal(jsonMiss.statusCode, 404, 'a non-HTML request to a client path is not the app');
  t.equal((await server.inject({ method: 'GET', url: '/docs/json' })).statusCode, 200);
  const hostile = await server.inject({ method: 'GET', url: '/', headers: { accept: 'text/html', host: "evil.example; script-src 'unsafe-inline'" } });
  t.notMatch(String(hostile.headers['content-security-policy']), /evil|unsafe-inline/, 'a forged Host header never reaches the CSP');
});

t.test('GET /api/spaces/:id/executor: the timelock and its delay from the chain', async (t) => {
  const withExecutor = await stack.get('/api/spaces/blocktrack/executor');
  t.same(withExecutor.body, { space: 'blocktrack', executor: stack.dao!.addresses.timelock.toLowerCase(), governor: null, minDelay: 7 * 24 * 3600 });
  t.same((await stack.get('/api/spaces/other/executor')).body, { space: 'other', executor: null, governor: null, minDelay: null });
  t.equal((await stack.get('/api/spaces/nope/executor')).body.code, 'SPACE_NOT_FOUND');
});

t.test('directory: spaces listed, sub-spaces under their parent, search', async (t) => {
  const { page } = await openPage(t, browser);
  await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('ul.spaces');
  const top = await page.$$eval('ul.spaces > li > article h2', (els) => els.map((e) => (e as HTMLElement).innerText));
  t.same(top, ['Blocktrack DAO', 'Other Collective']);
  const nested = await page.$$eval('ul.spaces > li ul.subspaces h2', (els) => els.map((e) => (e as HTMLElement).innerText));
  t.same(nested, ['Blocktrack Grants'], 'the sub-space is listed under its parent');
  await screenshots(page, 'spaces');
  t.same(await axeViolations(page), [], 'axe: no serious or critical violation on the directory');

  await page.type('input[type="search"]', 'grants');
  await page.waitForFunction(() => document.querySelectorAll('ul.spaces > li').length === 1);
  const shown = await page.$$eval('ul.spaces h2', (els) => els.map((e) => (e as HTMLElement).innerText));
  t.same(shown, ['Blocktrack DAO', 'Blocktrack Grants'], 'a matching sub-space keeps its parent visible');
  await page.$eval('input[type="search"]', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('input[type="search"]', 'nothing like this');
  await page.waitForFunction(() => document.body.innerText.includes('No space matches'));
});

t.test('space page: rules in plain words, proposals filtered by state', async (t) => {
  const { page } = await openPage(t, browser);
  await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('ul.spaces a');
  await Promise.all([page.waitForSelector('.rules'), page.click('ul.spaces > li > article h2 a')]);
  t.equal(new URL(page.url()).pathname, '/spaces/blocktrack', 'client-side navigation');
  // The delay arrives from the chain after the settings: wait for it.
  await page.waitForFunction(() => document.querySelector('.rules')?.textContent?.includes('days later'));
  const rules = await textOf(page, '.rules');
  t.match(rules, /token-weighted/);
  t.match(rules, /1\. Temperature check/);
  t.match(rules, /Open for 1 hour/);
  t.match(rules, /Quorum: votes carrying at least 60 BTK of power/);
  t.match(rules, /more than 50% of the votes counted/);
  t.match(rules, /2\. Consensus check/);
  t.match(rules, /at least 10% of the token's supply/);
  t.match(rules, /scheduled in the timelock\s+0x\w{4}…\w{4}\s*and can run 7 days later/, 'the timelock delay read from the chain');
  await page.waitForSelector('.proposal-row');
  t.match(await textOf(page, '.proposals'), /Colour of the logo/);
  t.match(await textOf(page, '.space'), /Blocktrack Grants/, 'sub-spaces listed');
  await screenshots(page, 'space');
  t.same(await axeViolations(page), [], 'axe: no serious or critical violation on the space page');

  const [defeated] = await page.$$('xpath/.//button[normalize-space(.)="Defeated"]');
  await defeated!.click();
  await page.waitForFunction(() => document.body.innerText.includes('No defeated proposals'));
  const [temperature] = await page.$$('xpath/.//button[normalize-space(.)="Temperature check"]');
  await temperature!.click();
  await page.waitForSelector('.proposal-row');

  // A reload on a client route comes back to the same page (the server answers index.html).
  await page.reload({ waitUntil: 'networkidle0' });
  await page.waitForSelector('.rules');
});

t.test('proposal page: body, results, timeline; a second page sees a new vote live within 1 s', async (t) => {
  const { page } = await openPage(t, browser);
  await page.goto(`${baseUrl}/proposals/${proposal}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.stage-results');
  t.equal(await textOf(page, 'h1'), 'Colour of the logo');
  t.equal(await page.$eval('.markdown h2', (el) => el.textContent), 'Why');
  t.equal(await page.$eval('.markdown a', (el) => el.getAttribute('rel')), 'noopener noreferrer');
  t.match(await textOf(page, '.links'), /Discussion/);
  const scores = await page.$$eval('.bar[data-choice]', (els) => els.map((e) => (e as HTMLElement).dataset.score));
  const tally = (await stack.get(`/api/proposals/${proposal}/tally?stage=1`)).body.tally;
  t.same(scores, tally.scores, 'the bars show the API tally');
  const bars = await textOf(page, '.bars');
  t.match(bars, /Blue\s+100 BTK · 66\.6%/);
  t.match(bars, /Green\s+50 BTK · 33\.3%/);
  t.match(await textOf(page, '.progress'), /150 BTK of 60 BTK/);
  t.match(await textOf(page, '.timeline'), /temperature check opened/i);
  t.match(await textOf(page, '.timeline'), /Temperature check closes/);
  await screenshots(page, 'proposal');
  t.same(await axeViolations(page), [], 'axe: no serious or critical violation on the proposal page');

  const second = await openPage(t, browser);
  await second.page.goto(`${baseUrl}/proposals/${proposal}`, { waitUntil: 'networkidle0' });
  await second.page.waitForSelector('.stage-results');
  t.equal(await textOf(second.page, '[data-testid="voter-count"]'), '2');
  // The WebSocket subscription is live before the vote (the page shows whether it is connected).
  await second.page.waitForFunction(() => !document.body.innerText.includes('reconnecting'));
  await vote(stack, server, 3, 'blocktrack', proposal, '3', 'Red!');
  const seen = Date.now();
  await second.page.waitForFunction(() => document.querySelector('[data-testid="voter-count"]')?.textContent === '3', { timeout: 1000 });
  t.ok(Date.now() - seen <= 1000, 'the second page shows the third vote within 1 s of its receipt');
  t.match(await textOf(second.page, '.bars'), /Red\s+25 BTK/);
  // The votes table follows.
  await second.page.waitForFunction(() => document.querySelectorAll('.votes tbody tr').length === 3);
});

t.test('votes table: sortable, paginated, CSV and JSON exports equal the API votes', async (t) => {
  const many = await propose(stack, server, { space: 'blocktrack', title: 'Many voters', choices: ['Yes', 'No'], votingType: 'single-choice' });
  // Reasons with commas, quotes, newlines and a formula-looking start survive the export.
  const reasons = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', 'ünïcödé ✓'];
  for (let i = 1; i <= 5; i++) await vote(stack, server, i, 'blocktrack', many, i % 2 ? '1' : '2', reasons[i - 1]);
  const { page } = await openPage(t, browser);
  const downloads = await mkdtemp(join(tmpdir(), 'govrelay-downloads-'));
  t.teardown(() => rm(downloads, { recursive: true, force: true }));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await page.goto(`${baseUrl}/proposals/${many}`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelectorAll('.votes tbody tr').length === 5);

  // Default order: power, largest first; a click on the header sorts it the other way.
  const powers = async () => page.$$eval('.votes tbody td.num', (els) => els.map((e) => (e as HTMLElement).innerText));
  t.same(await powers(), ['100 BTK', '50 BTK', '25 BTK', '9 BTK', '3 BTK']);
  const [powerHeader] = await page.$$('xpath/.//th/button[starts-with(normalize-space(.), "Power")]');
  await powerHeader!.click();
  t.same(await powers(), ['3 BTK', '9 BTK', '25 BTK', '50 BTK', '100 BTK'], 'ascending after a click');
  const [voterHeader] = await page.$$('xpath/.//th/button[starts-with(normalize-space(.), "Voter")]');
  await voterHeader!.click();
  const voters = await page.$$eval('.votes tbody td:first-child code', (els) => els.map((e) => e.getAttribute('title')!.toLowerCase()));
  t.same(voters, [...voters].sort(), 'sorted by voter, ascending');

  const api = await apiVotes(stack, many, 1);
  const [csvButton] = await page.$$('xpath/.//button[normalize-space(.)="Export CSV"]');
  await csvButton!.click();
  const csvFile = await waitForFile(downloads, '.csv');
  const rows = parseCsv(await readFile(csvFile, 'utf8'));
  t.same(rows[0], ['voter', 'stage', 'choice', 'power', 'reason', 'timestamp', 'receivedAt', 'messageId']);
  const fromCsv = rows.slice(1).map((r) => ({
    voter: r[0],
    stage: Number(r[1]),
    choice: JSON.parse(r[2]!),
    power: r[3],
    reason: r[4],
    timestamp: r[5],
    receivedAt: r[6],
    messageId: r[7],
  }));
  const sortKey = (v: { voter?: unknown }) => String(v.voter);
  t.same(
    fromCsv.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    api.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    'the CSV holds exactly the API votes',
  );

  const [jsonButton] = await page.$$('xpath/.//button[normalize-space(.)="Export JSON"]');
  await jsonButton!.click();
  const jsonFile = await waitForFile(downloads, '.json');
  const fromJson = JSON.parse(await readFile(jsonFile, 'utf8')) as { voter: string }[];
  t.same(
    fromJson.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    api,
    'the JSON export is the API votes',
  );
});

async function waitForFile(dir: string, ext: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const done = (await readdir(dir)).find((f) => f.endsWith(ext));
    if (done) return join(dir, done);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${ext} file downloaded`);
}

/** RFC 4180 (quoted fields with "" escapes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

t.test('Discord and webhook notifications link to the proposal page of the app', async (t) => {
  const { proposalUrl } = await import('../../server/ideation/notifications/render.js');
  const url = proposalUrl({ publicUrl: 'https://govrelay.example', proposal: { id: proposal } as never });
  t.equal(url, `https://govrelay.example/proposals/${proposal}`);
  const page = await server.inject({ method: 'GET', url: new URL(url).pathname, headers: { accept: 'text/html' } });
  t.equal(page.statusCode, 200);
  t.match(page.body, /<div id="root">/, 'the path is a page of the app');
});

t.test('the app keeps working in the browser from the keyboard: search and open a space', async (t) => {
  const { page } = await openPage(t, browser);
  await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('ul.spaces');
  // Tab order: skip link, brand, Spaces, API, search.
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type), 'search', 'the search box is reachable by Tab');
  await page.keyboard.type('other');
  await page.waitForFunction(() => document.querySelectorAll('ul.spaces > li').length === 1);
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Other Collective');
  await Promise.all([page.waitForSelector('.rules'), page.keyboard.press('Enter')]);
  t.equal(new URL(page.url()).pathname, '/spaces/other');
});

t.test("the injected test wallet: found through EIP-6963, signs the server's EIP-712 vote in the test process, the vote is accepted", async (t) => {
  const { page } = await openPage(t, browser);
  const voter = stack.wallets[4]!;
  const wallet = await injectWallet(page, voter, { chainId: stack.chain.chainId });
  await page.goto(`${baseUrl}/proposals/${proposal}`, { waitUntil: 'networkidle0' });
  const answer = await page.evaluate(async (proposalId: string) => {
    const offers: { info: { name: string; rdns: string }; provider: { request(a: { method: string; params?: unknown }): Promise<unknown> } }[] = [];
    window.addEventListener('eip6963:announceProvider', (e) => offers.push((e as CustomEvent).detail));
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    const offer = offers[0]!;
    const [from] = (await offer.provider.request({ method: 'eth_requestAccounts' })) as string[];
    const chainId = await offer.provider.request({ method: 'eth_chainId' });
    const info = (await (await fetch('/api/info')).json()) as { domain: object; types: Record<string, unknown> };
    const message = {
      from,
      space: 'blocktrack',
      proposal: proposalId,
      stage: 1,
      timestamp: Math.floor(Date.now() / 1000),
      choice: '1',
      reason: 'signed in the page',
    };
    const types = { EIP712Domain: info.types.EIP712Domain, Vote: info.types.Vote };
    const typed = { domain: info.domain, types, primaryType: 'Vote', message };
    const sig = (await offer.provider.request({ method: 'eth_signTypedData_v4', params: [from, JSON.stringify(typed)] })) as string;
    const posted = await fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: from, sig, data: typed }),
    });
    let refused: { code: number } | null = null;
    try {
      await offer.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x1' }] });
    } catch (error) {
      refused = error as { code: number };
    }
    return { name: offer.info.name, rdns: offer.info.rdns, offers: offers.length, from, chainId, status: posted.status, body: await posted.json(), refused };
  }, proposal);
  t.equal(answer.name, 'Test Wallet');
  t.equal(answer.rdns, 'org.govrelay.test');
  t.equal(answer.from, voter.address);
  t.equal(answer.chainId, `0x${stack.chain.chainId.toString(16)}`);
  t.equal(answer.status, 200, JSON.stringify(answer.body));
  t.match(answer.body, { type: 'Vote', receipt: { leafIndex: Number, treeHead: { signature: /^0x/ } } });
  t.same(
    wallet.calls.map((c) => c.method),
    ['eth_requestAccounts', 'eth_chainId', 'eth_signTypedData_v4', 'wallet_switchEthereumChain'],
  );
  t.equal(wallet.chainId, 1, 'the wallet switched chain');
  t.equal(answer.refused, null);
  const votes = await apiVotes(stack, proposal, 1);
  t.match(
    votes.find((v) => String(v.voter).toLowerCase() === voter.address.toLowerCase()),
    { reason: 'signed in the page', choice: 1 },
  );
});

t.test('ranked-choice rounds live, then closed stages: final outcome, the consensus check, the timeline to defeat', async (t) => {
  // Two more holders, delegated before the proposal's snapshot, make a three-way race.
  for (const [index, amount] of [
    [6, 40n],
    [7, 30n],
  ] as const) {
    const holder = stack.wallets[index]!;
    await (await stack.token.getFunction('mint')(holder.address, amount * TOKEN)).wait();
    await (await (stack.token.connect(holder) as typeof stack.token).getFunction('delegate')(holder.address)).wait();
  }
  const created = await createSpace(stack, 'quick', {
    name: 'Quick Votes',
    temperature: { votingType: 'proposal', period: 10, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 3, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  t.equal(created.status, 200);
  const id = await propose(stack, server, { space: 'quick', title: 'Ranked', choices: ['A', 'B', 'C'], votingType: 'ranked-choice' });
  await vote(stack, server, 2, 'quick', id, '[1,2,3]'); // 50 for A
  await vote(stack, server, 6, 'quick', id, '[2,1,3]'); // 40 for B
  await vote(stack, server, 7, 'quick', id, '[3,2,1]'); // 30 for C, then B
  const { page } = await openPage(t, browser);
  await page.goto(`${baseUrl}/proposals/${id}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.stage-results table');
  const rounds = await page.$$eval('.stage-results table tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  t.same(
    rounds,
    [
      ['A', '50', '50'],
      ['B', '40', '70'],
      ['C', '30', '0'],
    ],
    'instant-runoff rounds: C eliminated, its ballots go to B',
  );
  t.match(await textOf(page, '.votes tbody'), /1\. A, 2\. B, 3\. C/, 'ranked choices in words');
  await screenshots(page, 'proposal-ranked');

  // The page follows the lifecycle by itself: temperature passes, consensus opens, nobody votes, defeated.
  await page.waitForFunction(() => document.querySelector('.badge')?.textContent === 'Defeated', { timeout: 40_000 });
  await page.waitForFunction(() => document.querySelectorAll('.stage-tabs button').length === 2);
  const timeline = await textOf(page, '.timeline');
  t.match(timeline, /Consensus check opened[\s\S]*Temperature check passed; on time/);
  t.match(timeline, /Defeated[\s\S]*Consensus check defeated: nobody voted; on time/);
  t.match(await textOf(page, '.stage-results'), /Defeated: nobody voted/, 'the consensus check shows its final outcome');
  const [first] = await page.$$('xpath/.//div[contains(@class,"stage-tabs")]/button[normalize-space(.)="Temperature check"]');
  await first!.click();
  await page.waitForFunction(() => document.querySelector('.stage-results')?.getAttribute('data-stage') === '1');
  const final = await textOf(page, '.stage-results');
  t.match(final, /Passed/);
  t.match(final, /Quorum reached/);
  const result = (await stack.get(`/api/proposals/${id}`)).body.results.find((r: { stage: number }) => r.stage === 1);
  t.same(
    await page.$$eval('.bar[data-choice]', (els) => els.map((e) => (e as HTMLElement).dataset.score)),
    result.scores,
    'the final scores are the stored result',
  );
  t.same(await axeViolations(page), [], 'axe: no serious or critical violation on a closed proposal');
  await screenshots(page, 'proposal-closed');
});
