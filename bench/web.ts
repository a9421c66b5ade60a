/**
 * The members' app budgets (issue 15), measured, never asserted in timed tests:
 *
 *   npx tsx bench/web.ts          (starts everything it needs, stops and deletes it at the end)
 *
 * or benchmarkWeb() from bench/bench.ts (its last phase). Figures:
 * - web_initial_js_gzip_kb: the gzip size (level 9) of the JavaScript web/dist/index.html loads before
 *   the first render: its module script, its modulepreload links, and their static imports, followed
 *   transitively; chunks loaded by dynamic import() (the proposal page, voting, proposing) are not
 *   initial. Target ≤ 200.
 * - web_results_visible_ms: a proposal with WEB_BENCH_VOTES (10,000) votes; navigation in a fresh
 *   browser context (cold cache) until its results are visible: the score bars drawn and the voter
 *   count showing every vote, read in the page as performance.now() since navigation start. Median
 *   of WEB_BENCH_NAVIGATIONS (5). Target < 1500.
 * - web_vote_to_screen_ms_p99: that proposal open in a page; WEB_BENCH_LIVE_VOTES (50) more votes
 *   posted over the API one by one (each waits until the page showed the previous one); from each
 *   receipt (the HTTP answer received) to the page showing the new voter count (a MutationObserver
 *   stamps the wall clock in the page). Target < 1000.
 *
 * The stack: a hardhat chain with Multicall3 and a BenchToken ("BTK", 18 decimals) whose holders are
 * funded with mintMany, a scratch PostgreSQL database migrated like bench/bench.ts's, a Redis key
 * prefix of its own, the govrelay app in this process listening on 127.0.0.1 with production
 * settings (NODE_ENV=production, the default tally publish interval), web/dist (built when missing
 * or stale) and headless Chromium (/usr/bin/chromium). The 10,000 votes arrive over
 * POST /api/messages/batch, signed with digest.ts + libsecp256k1 like the main benchmark.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { id as textHash } from 'ethers';
import { compileContracts } from '../scripts/compile-contracts.js';
import { deployContract, mineBlocks } from '../scripts/local-chain.js';
import { launchBrowser, type BrowserHandle } from '../test/helpers/browser.js';
import { ensureWebBuild, WEB_DIST } from '../test/helpers/web-build.js';
import { benchVoters, createSpaceAndProposal, fundHolders, postVoteBatches, startChainAndDatabase, startInProcessApp, voteSigner } from './in-process-stack.js';
import { intFromEnv } from './env.js';
import { runAsScript } from './run-as-script.js';

const TOKEN = 10n ** 18n;
const SPACE_ID = 'webbench';
const DEPLOYMENT_SALT = textHash('govrelay web bench deployment');
const RECEIPT_KEY = textHash('govrelay web bench receipt key');
const VOTER_SEED = keccak_256(Buffer.from('govrelay web bench voters v1'));
const BATCH_SIZE = 500;
const now = () => Math.floor(Date.now() / 1000);

export interface WebBenchOptions {
  votes?: number;
  navigations?: number;
  liveVotes?: number;
  log?: (message: string) => void;
}

export interface WebBenchResult {
  initialJsGzipKb: number;
  initialJsFiles: string[];
  resultsVisibleMs: number;
  resultsVisibleRunsMs: number[];
  voteToScreenP99Ms: number;
  voteToScreenP50Ms: number;
  voteToScreenMaxMs: number;
  votes: number;
  liveVotes: number;
}

// ---------------------------------------------------------------------------------------------
// Initial JavaScript
// ---------------------------------------------------------------------------------------------

/** The JS files index.html loads before the first render, and their gzip size in KB (1000 bytes). */
export function initialJs(dist = WEB_DIST): { kb: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const start = [
    ...[...html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  const seen = new Set<string>();
  const queue = start.map((src) => join(dist, src.replace(/^\//, '')));
  let bytes = 0;
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    bytes += gzipSync(code, { level: 9 }).length;
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); import("…") is loaded on demand.
    const text = code.toString('utf8');
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g)) {
      const target = m[1]!.startsWith('/') ? join(dist, m[1]!.slice(1)) : resolve(dirname(file), m[1]!);
      queue.push(target);
    }
  }
  return { kb: Math.round(bytes / 100) / 10, files: [...seen].map((f) => f.slice(dist.length + 1)) };
}

// ---------------------------------------------------------------------------------------------
// Voters and signed votes
// ---------------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------

export async function benchmarkWeb(options: WebBenchOptions = {}): Promise<WebBenchResult> {
  const votes = options.votes ?? intFromEnv('WEB_BENCH_VOTES', 10_000);
  const navigations = options.navigations ?? intFromEnv('WEB_BENCH_NAVIGATIONS', 5);
  const liveVotes = options.liveVotes ?? intFromEnv('WEB_BENCH_LIVE_VOTES', 50);
  const log = options.log ?? ((m: string) => console.log(`[web] ${m}`));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    log('building web/dist when stale, compiling contracts');
    await ensureWebBuild();
    const js = initialJs();
    log(`initial JS: ${js.kb} KB gzipped (${js.files.join(', ')})`);
    await compileContracts();

    const { chain, databaseUrl, multicall } = await startChainAndDatabase('govrelay_bench_web', cleanups);
    const owner = chain.wallets[0]!;
    const token = await deployContract(owner, 'BenchToken', ['Web Bench', 'BTK']);
    const tokenAddress = (token.target as string).toLowerCase();
    const voters = benchVoters(VOTER_SEED, votes + liveVotes);
    log(`funding ${voters.addresses.length} holders`);
    await (await token.getFunction('mintMany')([owner.address], 1000n * TOKEN)).wait();
    await fundHolders(owner, token, voters.addresses);
    await mineBlocks(chain.provider, 2);

    const server = await startInProcessApp({ name: 'web', chain, databaseUrl, multicall, deploymentSalt: DEPLOYMENT_SALT, receiptKey: RECEIPT_KEY }, cleanups);
    const { base, domain, post } = server;
    const id = await createSpaceAndProposal(server, {
      chain,
      owner,
      tokenAddress,
      spaceId: SPACE_ID,
      spaceName: 'Web bench',
      title: `${votes.toLocaleString('en')} votes`,
      body: "The members' app budgets.",
    });
    const signVote = voteSigner(domain);
    const voteOf = (i: number, timestamp: number) =>
      signVote(voters.keys[i]!, {
        from: voters.addresses[i]!,
        space: SPACE_ID,
        proposal: id,
        stage: 1,
        timestamp,
        choice: String(1 + (i % 3)),
        reason: '',
      });

    log(`posting ${votes} votes in batches of ${BATCH_SIZE}`);
    const stamp = now();
    await postVoteBatches(server, votes, BATCH_SIZE, (i) => voteOf(i, stamp));
    const tally = (await (await fetch(`${base}/api/proposals/${id}/tally?stage=1`)).json()) as { tally: { voterCount: number } };
    if (tally.tally.voterCount !== votes) throw new Error(`the tally counts ${tally.tally.voterCount} voters, not ${votes}`);

    const browser: BrowserHandle = await launchBrowser();
    cleanups.push(() => browser.close());
    const pageUrl = `${base}/proposals/${id}`;

    log(`navigating to ${pageUrl} ${navigations} times (fresh context each)`);
    const runs: number[] = [];
    for (let n = 0; n < navigations; n++) {
      const context = await browser.browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(pageUrl, { waitUntil: 'domcontentloaded' });
      const handle = await page.waitForFunction(
        (count) => {
          const shown = document.querySelector('[data-testid="voter-count"]')?.textContent === String(count) && document.querySelector('.bars') !== null;
          return shown ? performance.now() : false;
        },
        { polling: 'raf', timeout: 30_000 },
        votes,
      );
      const visibleAt = (await handle.jsonValue()) as number;
      runs.push(Math.round(visibleAt));
      await context.close();
    }
    log(`results visible after ${runs.join(' / ')} ms`);

    log(`${liveVotes} votes one by one on the open page`);
    const page = await browser.browser.newPage();
    await page.goto(pageUrl, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction((count) => document.querySelector('[data-testid="voter-count"]')?.textContent === String(count), { timeout: 30_000 }, votes);
    // A string, not a function: tsx's keepNames would put its __name helper into the page.
    await page.evaluate(`(() => {
      const seen = {};
      window.__seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="voter-count"]')?.textContent;
        if (text && seen[text] === undefined) seen[text] = performance.timeOrigin + performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const latencies: number[] = [];
    for (let k = 0; k < liveVotes; k++) {
      const body = voteOf(votes + k, now());
      await post('/api/messages', body);
      const receivedAt = Date.now();
      const count = votes + k + 1;
      const shownAt = (await (
        await page.waitForFunction(
          (c) => (window as unknown as { __seen: Record<string, number> }).__seen[String(c)] ?? false,
          { timeout: 30_000, polling: 50 },
          count,
        )
      ).jsonValue()) as number;
      latencies.push(Math.max(0, Math.round(shownAt - receivedAt)));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    log(`vote to screen p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`);

    return {
      initialJsGzipKb: js.kb,
      initialJsFiles: js.files,
      resultsVisibleMs: median(runs),
      resultsVisibleRunsMs: runs,
      voteToScreenP99Ms: percentile(sorted, 99),
      voteToScreenP50Ms: percentile(sorted, 50),
      voteToScreenMaxMs: sorted.at(-1)!,
      votes,
      liveVotes,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const result = await benchmarkWeb();
  console.log(JSON.stringify(result, null, 2));
  console.log(`[web] ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await runAsScript(import.meta.url, 'web', main);
