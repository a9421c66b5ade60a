/**
 * The final tally of a 1,000,000-vote proposal stage, from the database.
 *
 *   npx tsx bench/tally-1m.ts [votes]     (creates, migrates and drops a database of its own)
 *
 * or benchmarkTally1m({ databaseUrl }) on an already migrated database. The votes are written with
 * SQL (INSERT ... SELECT FROM generate_series): a space with one token-weighted strategy, a basic
 * proposal, `votes` votes in stage 1 with powers of 1..10 tokens plus an uneven remainder (so the
 * sums are big integers with every digit significant) and choices 1/2/3, and the matching
 * voting_powers rows. HTTP and signatures are not part of this figure (bench/bench.ts measures
 * them); votes.message_id has no foreign key, so no signed_messages rows are needed.
 *
 * The timed part runs in a child process (bench/tally-child.ts) so that the peak memory reported
 * is the tally's own: tallyStage three times, each run timed, VmHWM of the whole child process.
 * The tally is checked against PostgreSQL's own sums (SUM(power) GROUP BY choice).
 *
 * The rows stay in the database afterwards (the CLI drops its whole database).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runAsScript } from './run-as-script.js';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { projectRoot } from '../core/project-root.js';
import { ZERO_HASH } from '../core/proposals/payload.js';
import type { ProposalRules } from '../core/proposals/rules.js';
import type { SpaceSettings } from '../server/spaces/settings.js';
import type { TallyChildReport } from './tally-child.js';
import { createScratchDatabase } from './database.js';

export interface TallyBenchOptions {
  /** An already migrated database; the benchmark adds one space, one proposal and its votes. */
  databaseUrl: string;
  /** Votes in the stage (default 1,000,000). */
  votes?: number;
  log?: (msg: string) => void;
}

export interface TallyBenchResult {
  votes: number;
  /** Median of the runs. */
  seconds: number;
  runsSeconds: number[];
  /** Peak resident memory (VmHWM) of the child process that ran the tallies, startup included. */
  peakMiB: number;
  /** Resident memory of that child after its imports and first query, before any tally. */
  baselineMiB: number;
  /** The tally equals PostgreSQL's SUM(power) per choice, total and count. */
  matchesExpected: boolean;
  voterCount: number;
}

const RUNS = 3;
const TOKEN = 10n ** 18n;
const TOKEN_ADDRESS = '0x' + 'b0'.repeat(20);
const AUTHOR = '0x' + 'a1'.repeat(20);

function settingsFor(): SpaceSettings {
  return {
    name: 'Tally benchmark',
    chainId: 31337,
    token: TOKEN_ADDRESS,
    admins: [AUTHOR],
    moderators: [],
    members: [],
    strategies: [{ name: 'token-weighted', params: { address: TOKEN_ADDRESS, method: 'balanceOf' } }],
    proposalGate: { kind: 'power', minPower: '1' },
    maxActiveProposalsPerAuthor: 10,
    votingDelay: 0,
    temperature: { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: TOKEN.toString() }, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 3600, quorum: { kind: 'absolute', power: TOKEN.toString() }, passThresholdBps: 6000 },
    advance: 'auto',
    executionGracePeriod: 14 * 86_400,
  };
}

/**
 * Voter i: a pseudo-random address (md5-based, so the primary key is filled in random order, as
 * votes arriving over HTTP fill it), 1 + i % 10 tokens plus a remainder of up to ~10^12 wei, and a
 * choice independent of the power (For ~50%, Against ~35%, Abstain ~15%).
 */
const VOTER_SQL = `
  SELECT i,
         '0x' || md5('voter' || i) || left(md5('salt' || i), 8) AS address,
         ((1 + i % 10)::numeric * 1000000000000000000 + (i::numeric * 7919 * 104729) % 999999999989) AS power,
         CASE WHEN (i / 10) % 20 < 10 THEN 1 WHEN (i / 10) % 20 < 17 THEN 2 ELSE 3 END AS choice
    FROM generate_series(1, $2::int) AS i`;

async function createProposal(client: pg.ClientBase, votes: number, log: (msg: string) => void): Promise<string> {
  const spaceId = `tally-1m-${randomBytes(4).toString('hex')}`;
  const proposalId = `0x${randomBytes(32).toString('hex')}`;
  const settings = settingsFor();
  const rules: ProposalRules = { settings, quorum: { temperature: TOKEN.toString(), consensus: TOKEN.toString() } };
  const now = new Date();
  await client.query(`INSERT INTO spaces (id, parent_id, settings, created_at, updated_at, last_timestamp) VALUES ($1, NULL, $2, $3, $3, $4)`, [
    spaceId,
    JSON.stringify(settings),
    now,
    Math.floor(now.getTime() / 1000),
  ]);
  await client.query(
    `INSERT INTO proposals (id, space_id, author, title, body, discussion, choices, voting_type, snapshot_block, snapshot_time,
       execution_mode, payload_hash, payload, target_code_hashes, idea_id, state, created_at, temperature_start, temperature_end,
       rules, updated_at)
     VALUES ($1, $2, $3, 'Tally benchmark', 'One million votes.', '', $4, 'basic', 1, $5, '', $6, NULL, '[]', NULL,
       'temperature', $7, $7, $8, $9, $7)`,
    [
      proposalId,
      spaceId,
      AUTHOR,
      JSON.stringify(['For', 'Against', 'Abstain']),
      Math.floor(now.getTime() / 1000),
      ZERO_HASH,
      now,
      new Date(now.getTime() + 3600_000),
      JSON.stringify(rules),
    ],
  );
  let started = performance.now();
  await client.query(
    `INSERT INTO votes (proposal_id, stage, voter, message_id, choice, reason, timestamp, power, received_at)
     SELECT $1, 1, address, '0x' || md5('message' || i) || md5('id' || i), to_jsonb(choice), '', 1700000000 + i, power, now()
       FROM (${VOTER_SQL}) AS v`,
    [proposalId, votes],
  );
  log(`  ${votes} votes inserted: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  // One strategy: by_strategy is [power] (strategies/index.ts computeVotingPower), as decimal strings.
  await client.query(
    `INSERT INTO voting_powers (proposal_id, address, power, by_strategy, computed_at)
     SELECT $1, address, power, jsonb_build_array(power::text), now() FROM (${VOTER_SQL}) AS v`,
    [proposalId, votes],
  );
  log(`  ${votes} voting_powers inserted: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  // Statistics and the visibility map as autovacuum would leave them after a bulk of inserts (this
  // machine's PostgreSQL may have autovacuum off; a fresh table has no statistics at all).
  await client.query('VACUUM (ANALYZE) votes, voting_powers');
  log(`  VACUUM (ANALYZE): ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return proposalId;
}

interface Expected {
  scores: bigint[];
  totalPower: bigint;
  voterCount: number;
}

/** PostgreSQL's own sums: the tally of a basic proposal is SUM(power) per choice. */
async function expectedTally(client: pg.ClientBase, proposalId: string): Promise<Expected> {
  const { rows } = await client.query<{ choice: number; score: string; n: number }>(
    `SELECT (choice #>> '{}')::int AS choice, sum(power)::text AS score, count(*)::int AS n
       FROM votes WHERE proposal_id = $1 AND stage = 1 GROUP BY 1`,
    [proposalId],
  );
  const scores = [0n, 0n, 0n];
  let voterCount = 0;
  for (const row of rows) {
    scores[row.choice - 1] = BigInt(row.score);
    voterCount += row.n;
  }
  return { scores, totalPower: scores.reduce((a, b) => a + b, 0n), voterCount };
}

function runChild(databaseUrl: string, proposalId: string): Promise<TallyChildReport> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/tally-child.ts', databaseUrl, proposalId, '1', String(RUNS)], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', fail);
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop();
      if (code !== 0 || !line) return fail(new Error(`tally child exited with ${code}: ${stderr}`));
      try {
        done(JSON.parse(line) as TallyChildReport);
      } catch (error) {
        fail(new Error(`tally child printed no report: ${stdout.slice(-2000)} ${stderr}`, { cause: error }));
      }
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function benchmarkTally1m(options: TallyBenchOptions): Promise<TallyBenchResult> {
  const votes = options.votes ?? 1_000_000;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(votes) || votes < 1) throw new RangeError(`votes must be a positive integer; got ${votes}`);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    log(`writing a basic proposal with ${votes} votes (one token-weighted strategy)`);
    const proposalId = await createProposal(client, votes, log);
    const expected = await expectedTally(client, proposalId);

    log(`tallying ${RUNS} times in a child process`);
    const report = await runChild(options.databaseUrl, proposalId);
    const runsSeconds = report.runs.map((run) => Math.round(run.seconds * 1000) / 1000);
    log(
      `  runs ${runsSeconds.join(' / ')} s; peak ${report.peakMiB} MiB (per run: ${report.runs.map((r) => r.peakMiB).join(' / ')}${report.peakPerRun ? '' : ', cumulative'}); baseline ${report.baselineMiB} MiB`,
    );

    const tally = report.tally;
    const matchesExpected =
      tally.votingType === 'basic' &&
      tally.voterCount === expected.voterCount &&
      tally.totalPower === expected.totalPower.toString() &&
      tally.scores.length === expected.scores.length &&
      tally.scores.every((score, i) => score === expected.scores[i]!.toString()) &&
      tally.scoresByStrategy.every((row, i) => row.length === 1 && row[0] === tally.scores[i]);
    log(
      `  scores ${tally.scores.join(' / ')}, total ${tally.totalPower}, voters ${tally.voterCount}: ${matchesExpected ? 'match' : 'MISMATCH with'} PostgreSQL's sums`,
    );
    return {
      votes,
      // The median of the runs: the first run also pays for cold caches and JIT warm-up, which a
      // best-of would hide and a mean would over-weight.
      seconds: median(runsSeconds),
      runsSeconds,
      peakMiB: report.peakMiB,
      baselineMiB: report.baselineMiB,
      matchesExpected,
      voterCount: tally.voterCount,
    };
  } finally {
    await client.end();
  }
}

// ---- CLI: a database of its own, migrated the way bench/bench.ts does, dropped at the end ----

async function main(): Promise<void> {
  const votes = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const log = (msg: string) => console.log(`[tally-1m] ${msg}`);
  let drop: () => Promise<void> = async () => undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void drop().finally(() => process.exit(130)));
  }
  try {
    log('creating and migrating a database of its own');
    const { url: databaseUrl } = await createScratchDatabase('govrelay_bench_tally', (created) => (drop = created.drop));
    const result = await benchmarkTally1m({ databaseUrl, log, ...(votes === undefined ? {} : { votes }) });
    console.log(JSON.stringify(result));
  } finally {
    await drop();
  }
}

await runAsScript(import.meta.url, 'tally-1m', main);
