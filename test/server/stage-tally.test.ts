/**
 * The stage tally read from the database (server/votes/stage-tally.ts) equals computeTally over
 * the same votes, for every voting type, with one and several strategies, through a pool and
 * through a client inside a transaction. Each stage has a few thousand votes, so the streamed
 * rows span many network reads. It also equals the previous implementation (every row joined
 * with voting_powers, read at once), and a vote that does not fit fails the tally.
 */
import t from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../helpers/database.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import type { ProposalRules } from '../../core/proposals/rules.js';
import type { SpaceSettings, StageSettings } from '../../server/spaces/settings.js';
import { computeTally } from '../../server/tally/tally.js';
import { BASIC_CHOICES, type Choice, type TallyVote, type VotingType } from '../../core/tally/types.js';
import { loadStageAccumulator, tallyStage } from '../../server/votes/stage-tally.js';
import { randomChoice, seededRandom } from '../helpers/random.js';

const VOTES = 3000;
const TOKEN_ADDRESS = '0x' + 'c0'.repeat(20);

const db = await createTestDatabase();
const pool = new pg.Pool({ connectionString: db.url, max: 1 });
t.teardown(async () => {
  await pool.end();
  await db.drop();
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be reproduced. */
function random(seed: number) {
  const next = seededRandom(seed);
  const int = (below: number) => Math.floor(next() * below);
  /** Wei-scale power: up to ~10^24, sometimes small, sometimes zero. */
  const power = (): bigint => {
    const kind = int(10);
    if (kind === 0) return 0n;
    if (kind === 1) return BigInt(1 + int(1000));
    return BigInt(1 + int(1_000_000)) * 10n ** 18n + BigInt(int(1_000_000_000)) * 7_919n;
  };
  return { next, int, power };
}

function stageSettings(votingType: StageSettings['votingType']): StageSettings {
  return { votingType, period: 3600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
}

interface Case {
  votingType: VotingType;
  strategies: number;
  /** The consensus stage's type; 'proposal' follows the proposal's. */
  consensus?: StageSettings['votingType'];
}

/** A space and a proposal written directly, the way the server stores them. */
async function insertProposalRow(c: Case, choices: string[]): Promise<ProposalRecord> {
  const spaceId = `tally-${randomBytes(4).toString('hex')}`;
  const id = `0x${randomBytes(32).toString('hex')}`;
  const settings: SpaceSettings = {
    name: 'Stage tally test',
    chainId: 31337,
    token: TOKEN_ADDRESS,
    admins: [TOKEN_ADDRESS],
    moderators: [],
    members: [],
    strategies: Array.from({ length: c.strategies }, (_, s) => ({ name: 'token-weighted', params: { address: TOKEN_ADDRESS }, weight: s + 1 })),
    proposalGate: { kind: 'power', minPower: '0' },
    maxActiveProposalsPerAuthor: 10,
    votingDelay: 0,
    temperature: stageSettings('proposal'),
    consensus: stageSettings(c.consensus ?? 'proposal'),
    advance: 'auto',
    executionGracePeriod: 14 * 86_400,
  };
  const rules: ProposalRules = { settings, quorum: { temperature: '1', consensus: '1' } };
  const now = new Date();
  await pool.query(`INSERT INTO spaces (id, parent_id, settings, created_at, updated_at, last_timestamp) VALUES ($1, NULL, $2, $3, $3, 0)`, [
    spaceId,
    JSON.stringify(settings),
    now,
  ]);
  await pool.query(
    `INSERT INTO proposals (id, space_id, author, title, body, discussion, choices, voting_type, snapshot_block, snapshot_time,
       execution_mode, payload_hash, payload, target_code_hashes, idea_id, state, created_at, temperature_start, temperature_end,
       rules, updated_at)
     VALUES ($1, $2, $3, 't', 'b', '', $4, $5, 1, 0, '', $6, NULL, '[]', NULL, 'temperature', $7, $7, $7, $8, $7)`,
    [id, spaceId, TOKEN_ADDRESS, JSON.stringify(choices), c.votingType, ZERO_HASH, now, JSON.stringify(rules)],
  );
  return (await findProposal(pool, id))!;
}

const voterAddress = (i: number) => `0x${(0xabc0000 + i).toString(16).padStart(40, '0')}`;

/** Voting powers of `count` voters (one row each, as the power service stores them). */
async function storePowers(proposalId: string, powers: bigint[][]): Promise<void> {
  await pool.query(
    `INSERT INTO voting_powers (proposal_id, address, power, by_strategy, computed_at)
     SELECT $1, a, p::numeric, b::jsonb, now() FROM unnest($2::text[], $3::text[], $4::text[]) AS t(a, p, b)`,
    [
      proposalId,
      powers.map((_, i) => voterAddress(i)),
      powers.map((parts) => parts.reduce((a, b) => a + b, 0n).toString()),
      powers.map((parts) => JSON.stringify(parts.map(String))),
    ],
  );
}

/** Votes as the vote writer stores them: choice as JSON, power = the voter's total power. */
async function storeVotes(proposalId: string, stage: number, votes: TallyVote[]): Promise<void> {
  await pool.query(
    `INSERT INTO votes (proposal_id, stage, voter, message_id, choice, reason, timestamp, power, received_at)
     SELECT $1, $2::int, v, '0x' || md5(v || $2::int::text), c::jsonb, '', 1, p::numeric, now()
       FROM unnest($3::text[], $4::text[], $5::text[]) AS t(v, c, p)`,
    [proposalId, stage, votes.map((v) => v.voter), votes.map((v) => JSON.stringify(v.choice)), votes.map((v) => v.power.toString())],
  );
}

/** The previous implementation: every vote joined with its voting power, read in one result. */
async function previousTally(proposal: ProposalRecord, stage: number, votingType: VotingType, choices: string[]) {
  const { rows } = await pool.query<{ voter: string; choice: Choice; power: string; by_strategy: string[] }>(
    `SELECT v.voter, v.choice, v.power::text AS power, p.by_strategy
       FROM votes v JOIN voting_powers p ON p.proposal_id = v.proposal_id AND p.address = v.voter
      WHERE v.proposal_id = $1 AND v.stage = $2`,
    [proposal.id, stage],
  );
  const votes = rows.map((row) => ({ voter: row.voter, choice: row.choice, power: BigInt(row.power), powerByStrategy: row.by_strategy.map(BigInt) }));
  return computeTally(votingType, choices, votes, proposal.rules.settings.strategies.length);
}

const CASES: Case[] = [
  { votingType: 'basic', strategies: 1 },
  { votingType: 'basic', strategies: 3 },
  { votingType: 'single-choice', strategies: 1 },
  { votingType: 'single-choice', strategies: 2 },
  { votingType: 'approval', strategies: 2, consensus: 'basic' },
  { votingType: 'weighted', strategies: 1 },
  { votingType: 'weighted', strategies: 3 },
  { votingType: 'ranked-choice', strategies: 1 },
  { votingType: 'ranked-choice', strategies: 2 },
  { votingType: 'quadratic', strategies: 1 },
  { votingType: 'quadratic', strategies: 2 },
];

for (const [index, c] of CASES.entries()) {
  t.test(`${c.votingType}, ${c.strategies} strateg${c.strategies === 1 ? 'y' : 'ies'}: the database tally equals computeTally`, async (t) => {
    const rng = random(1000 + index);
    const choices = c.votingType === 'basic' ? [...BASIC_CHOICES] : ['A', 'B', 'C', 'D', 'E'];
    const proposal = await insertProposalRow(c, choices);
    const powers = Array.from({ length: VOTES }, (_, i) => {
      const parts = Array.from({ length: c.strategies }, () => rng.power());
      if (!parts.some((p) => p > 0n)) parts[0] = BigInt(i + 1); // the server refuses votes without power
      return parts;
    });
    await storePowers(proposal.id, powers);
    // Every voter has power; about four in five vote in each stage.
    const stages = c.consensus ? [1, 2] : [1];
    for (const stage of stages) {
      const votingType = stage === 2 && c.consensus && c.consensus !== 'proposal' ? c.consensus : c.votingType;
      const stageChoices = votingType === 'basic' ? [...BASIC_CHOICES] : choices;
      const votes: TallyVote[] = [];
      for (let i = 0; i < VOTES; i++) {
        if (rng.int(5) === 0) continue;
        const parts = powers[i]!;
        votes.push({
          voter: voterAddress(i),
          choice: randomChoice(rng.next, votingType, stageChoices.length),
          power: parts.reduce((a, b) => a + b, 0n),
          powerByStrategy: parts,
        });
      }
      await storeVotes(proposal.id, stage, votes);

      const expected = computeTally(votingType, stageChoices, votes, c.strategies);
      t.ok(expected.voterCount > VOTES / 2, `stage ${stage}: ${expected.voterCount} votes`);
      t.strictSame(await tallyStage(pool, proposal, stage), expected, `stage ${stage}: through a pool`);
      t.strictSame(await previousTally(proposal, stage, votingType, stageChoices), expected, `stage ${stage}: the previous implementation agrees`);

      // Inside a transaction, on the caller's client; the connection stays usable afterwards.
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        t.strictSame(await tallyStage(client, proposal, stage), expected, `stage ${stage}: on a client in a transaction`);
        t.equal(
          (await client.query('SELECT count(*)::int AS n FROM votes WHERE proposal_id = $1 AND stage = $2', [proposal.id, stage])).rows[0].n,
          votes.length,
          'the client still answers in its transaction',
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }

      // The accumulator goes on from the stored votes: one more vote counts like in a full recount.
      const accumulator = await loadStageAccumulator(pool, proposal, stage);
      const extra: TallyVote = {
        voter: '0x' + 'ee'.repeat(20),
        choice: randomChoice(rng.next, votingType, stageChoices.length),
        power: 5n * BigInt(c.strategies),
        powerByStrategy: Array.from({ length: c.strategies }, () => 5n),
      };
      accumulator.add(extra);
      t.strictSame(
        accumulator.snapshot(),
        computeTally(votingType, stageChoices, [...votes, extra], c.strategies),
        `stage ${stage}: loadStageAccumulator continues`,
      );
    }
  });
}

t.test('a stored vote that does not fit fails the tally, and the connection is released healthy', async (t) => {
  const one = await insertProposalRow({ votingType: 'single-choice', strategies: 1 }, ['A', 'B', 'C']);
  await storePowers(one.id, [[10n], [20n], [30n]]);
  await storeVotes(one.id, 1, [
    { voter: voterAddress(0), choice: 1, power: 10n, powerByStrategy: [10n] },
    { voter: voterAddress(1), choice: 9, power: 20n, powerByStrategy: [20n] },
    { voter: voterAddress(2), choice: 2, power: 30n, powerByStrategy: [30n] },
  ]);
  await t.rejects(tallyStage(pool, one, 1), /choice 9 is not one of 1\.\.3/);
  t.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool (one connection) still answers');

  // Several strategies: a vote whose stored power differs from its strategies' sum is refused.
  const two = await insertProposalRow({ votingType: 'basic', strategies: 2 }, [...BASIC_CHOICES]);
  await storePowers(two.id, [[10n, 5n]]);
  await storeVotes(two.id, 1, [{ voter: voterAddress(0), choice: 1, power: 16n, powerByStrategy: [10n, 6n] }]);
  const client = await pool.connect();
  try {
    await t.rejects(tallyStage(client, two, 1), /does not sum to power/);
    t.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1, 'the client still answers');
  } finally {
    client.release();
  }

  // No votes: an empty tally.
  const empty = await insertProposalRow({ votingType: 'weighted', strategies: 2 }, ['A', 'B']);
  t.strictSame(await tallyStage(pool, empty, 1), computeTally('weighted', ['A', 'B'], [], 2));
});
