/**
 * `npm run demo`, end to end, as a person runs it: a child process that starts its own chain, uses the
 * machine's PostgreSQL (DATABASE_URL, to keep it fast; the embedded PostgreSQL path is the same code
 * after the connection string) and Redis, tells the story, runs the verify command on its proposal (every
 * part matching), exits 0, ends with the `executed: <tx hash>` line, and leaves nothing running: its API
 * no longer answers and its scratch database is gone.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { projectRoot } from '../core/project-root.js';
import { adminDatabaseUrl } from './helpers/database.js';

interface PageProbe {
  url: string;
  status: number;
  contentType: string;
  body: string;
}

/** While the demo runs: GET the first proposal page it prints, as a browser would (Accept: text/html). */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; probe: Promise<PageProbe | null> }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'demo'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: adminDatabaseUrl(), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let probe: Promise<PageProbe | null> = Promise.resolve(null);
    let probed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /page: (http:\/\/127\.0\.0\.1:\d+\/proposals\/0x[0-9a-f]{64})/.exec(stdout)?.[1];
      if (url && !probed) {
        probed = true;
        probe = fetch(url, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(10_000) }).then(
          async (r) => ({ url, status: r.status, contentType: r.headers.get('content-type') ?? '', body: await r.text() }),
          () => null,
        );
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), 240_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, probe });
    });
  });
}

t.test('npm run demo tells the whole story, ends with the executed transaction, and leaves nothing running', async (t) => {
  const { code, stdout, stderr, ms, probe } = await runDemo();
  t.comment(`npm run demo took ${(ms / 1000).toFixed(1)} s`);
  t.equal(code, 0, `exit code 0${code === 0 ? '' : `\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`}`);

  const lines = stdout
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const last = lines.at(-1) ?? '';
  t.match(
    last,
    /^executed: 0x[0-9a-f]{64} \(block \d+\) — proposal 0x[0-9a-f]{64} paid 20 BTK from the DAO treasury/,
    'the last line names the execute transaction',
  );

  // The story, in order, each step with its URL.
  const expectations: [RegExp, string][] = [
    [/Deployed the DAO: .*TimelockController with a 7-day delay/, 'deploy, with the 7-day timelock'],
    [/DaoTimelock .*min delay 604800 s/, 'the deployed timelock and its roles'],
    [/LogAnchor 0x[0-9a-fA-F]{40} \(submitter: the relayer 0x[0-9a-fA-F]{40}, from block \d+\)/, 'the log anchor contract'],
    [/dave delegated his votes to carol/, 'delegation'],
    [/space settings.*executor = the timelock/, 'space'],
    [/signed a treasury-grant proposal/, 'proposal'],
    [/Temperature check:/, 'stage 1 votes'],
    [/consensus check opened/, 'stage 2 opens'],
    [/The consensus check closed: passed/, 'stage 2 passes'],
    [/The relayer scheduled the signed payload in the timelock: tx 0x[0-9a-f]{64}, ETA /, 'scheduled'],
    [/= the id recomputed from the signed proposal/, 'operation id recomputed'],
    [/Advanced the chain's clock by 7 days/, 'time advanced'],
    [/The relayer executed the operation in block \d+: the grantee holds 20 BTK, the treasury 980 BTK/, 'executed and paid'],
    [/Alice's consensus vote is leaf \d+ of the message log: her receipt's inclusion proof against the signed tree head of size \d+ verifies/, 'log proof'],
    [/anchored on chain: tree head \d+ \(root 0x[0-9a-f]{64}\) in block \d+/, 'the relayer anchored the latest tree head'],
    [/The verify command re-checked the proposal without trusting the server: everything matches/, 'verify ran'],
  ];
  let from = 0;
  for (const [pattern, name] of expectations) {
    const index = lines.findIndex((line, i) => i >= from && pattern.test(line));
    t.ok(index >= 0, `step in order: ${name}`);
    if (index >= 0) from = index + 1;
  }
  // The verify report, between its step and the last line: what it checked, every part matching.
  const verifyStep = lines.findIndex((l) => /The verify command re-checked the proposal/.test(l));
  const report = verifyStep >= 0 ? lines.slice(verifyStep + 1, -1) : [];
  t.match(
    report.join('\n'),
    /npm run verify -- --server http:\/\/127\.0\.0\.1:\d+ --rpc http:\/\/127\.0\.0\.1:\d+ --multicall 0x[0-9a-fA-F]{40} --anchor 0x[0-9a-fA-F]{40} --anchor-from-block \d+ 0x[0-9a-f]{64}/,
    'the verify step prints the command that reproduces it',
  );
  const part = (name: string) => report.find((l) => new RegExp(`^\\s+${name}\\s`).test(l)) ?? '';
  // The proposal, 3 votes per stage, and the space's one settings change; every signature checked.
  t.match(part('messages'), /8 signed messages \(7 of the proposal, 1 settings changes\): 8 ids and signatures check out/, 'verify checked every message');
  t.match(part('votes'), /6 signed votes, 6 current \(voter, stage\) votes/, 'verify rebuilt every current vote');
  t.match(part('power'), /3 voters recomputed from the chain at block \d+/, "verify read each voter's power from the chain");
  t.match(
    part('tallies'),
    /stage 1: 3 votes recounted, passed \(result signed at log size \d+\); stage 2: 3 votes recounted, passed \(result signed at log size \d+\)/,
    'verify recounted both stages',
  );
  t.match(part('log'), /7 messages in the log, 7 inclusion proofs/, 'verify checked the log');
  t.match(
    part('anchor'),
    /anchored tree head\(s\) \(blocks \d+–\d+, the latest of size \d+\): (\d+) signed by the receipt key and heads of the server's log/,
    'verify checked the chain anchors',
  );
  t.match(part('execution'), /operation 0x[0-9a-f]{64}: executed \(timelock path\)/, 'verify checked the execution on chain');
  t.equal(lines.at(-2)?.trim(), 'everything matches', 'verify reports that everything matches, right before the last line');
  t.notOk(
    report.some((l) => /difference|MISMATCH/.test(l)),
    'no difference reported',
  );

  t.ok(lines.filter((l) => /^\s+→ http:\/\/127\.0\.0\.1:\d+\//.test(l)).length >= 8, 'the steps print their API URLs');

  // From the space on, every step names the app page that shows it: the space, then the proposal.
  const spaceStep = lines.findIndex((l) => /space settings.*executor = the timelock/.test(l));
  t.match(lines[spaceStep + 2] ?? '', /^\s+page: http:\/\/127\.0\.0\.1:\d+\/spaces\/blocktrack$/, 'the space step prints the space page');
  const proposalPage = /page: (http:\/\/127\.0\.0\.1:\d+\/proposals\/(0x[0-9a-f]{64}))/.exec(stdout);
  t.ok(proposalPage, 'the proposal page URL is printed');
  t.equal(proposalPage?.[2], /proposal (0x[0-9a-f]{64}) paid/.exec(last)?.[1], "it is the executed proposal's page");
  const stepsAfterProposal = lines.slice(lines.findIndex((l) => /signed a treasury-grant proposal/.test(l))).filter((l) => /^\[\d+\]/.test(l)).length;
  t.equal(lines.filter((l) => l.includes(`page: ${proposalPage?.[1]}`)).length, stepsAfterProposal, 'every step from the proposal on prints its page');
  const seen = await probe;
  t.ok(seen, 'the printed page answered while the demo ran');
  if (seen) {
    t.equal(seen.status, 200);
    t.match(seen.contentType, /text\/html/);
    t.match(seen.body, /<div id="root"><\/div>|<script type="module"/, "the members' app");
  }

  // Nothing left running: the server's port is closed and the scratch database was dropped.
  const api = /→ (http:\/\/127\.0\.0\.1:\d+)\/docs/.exec(stdout)?.[1];
  t.ok(api, 'the API URL was printed');
  if (api) await t.rejects(fetch(`${api}/health`, { signal: AbortSignal.timeout(3000) }), 'the server is gone');
  const chainUrl = /local chain \(hardhat node, chain id \d+\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  t.ok(chainUrl, 'the chain URL was printed');
  if (chainUrl) await t.rejects(fetch(chainUrl, { method: 'POST', body: '{}', signal: AbortSignal.timeout(3000) }), 'the chain is gone');
  const database = /scratch database (govrelay_demo_[0-9a-f]+)/.exec(stdout)?.[1];
  t.ok(database, 'the scratch database name was printed');
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  await admin.end();
  t.equal(rowCount, 0, 'the scratch database was dropped');
});
