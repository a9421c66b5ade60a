/**
 * Group commit for votes. Concurrent votes on one proposal stage are gathered while earlier writes
 * of that stage are in flight (at most MAX_BATCHES_IN_FLIGHT) and written together in ONE transaction,
 * sent as two simple-protocol queries (two round trips):
 *
 *   1. BEGIN + the proposal's shared advisory lock (core/db/locks.ts) and the transaction id;
 *   2. EXECUTE of one prepared statement that, for every vote of the batch, checks the replay log, the
 *      stage state and window (per vote, against its own receivedAt), upserts the vote with the
 *      newer-timestamp rule, stores the voter's power per strategy when the space has several
 *      (voting_powers, which their tally reads), appends the signed message for each vote that was
 *      applied (the insert of core/db/signed-messages.ts), and returns per vote which outcome
 *      happened and the vote it replaced (for the incremental live tally);
 *   3. the log's append lock and its frontier (core/db/log.ts) — end of the first round trip;
 *   4. the applied votes appended to the log as leaves, in batch order, with the new perfect subtrees
 *      and one tree head signed with the receipt key (core/log/append.ts), then COMMIT — the second.
 *
 * The statements of steps 2 to 4 are prepared once per connection (PREPARE_WRITE_SQL,
 * PREPARE_LOG_STATEMENTS_SQL), so a transaction parses and plans only BEGIN, the locks and COMMIT.
 *
 * The log lock is taken after the vote statement, so it is held only for the second round trip and
 * the commit; each vote's inclusion proof is computed while that round trip is on its way.
 *
 * Each vote's promise settles only after COMMIT returned (or with its own typed error), so nothing is
 * acknowledged before it is durable.
 *
 * Why the state check may sit in the same statement as the writes: the statement starts after the
 * shared lock is held (under READ COMMITTED each statement of the query string takes its own
 * snapshot when it starts), so its snapshot already contains every stage close that committed before it
 * (a close holds the exclusive lock until its commit, so none can commit while we hold the shared
 * one). This is the same close-vs-vote guarantee the one-vote-per-transaction path had: a vote either
 * commits before the close reads the stage, or sees the closed state and is refused.
 *
 * Votes of the same voter are never written together or in two concurrent batches (the later one
 * waits), so the outcome is the same as writing them one by one in arrival order. If two writers race
 * on the same message id (another instance), the batch hits the primary key, rolls back, and its
 * votes are retried one per transaction, where that error is the DUPLICATE it always was. Any other
 * refusal of the statement's data (a value PostgreSQL cannot store) is retried the same way, so it
 * fails only the vote that carried it.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { proposalSharedLockSql } from '../../core/db/locks.js';
import { executeLogAppendSql, LOCK_AND_EXECUTE_FRONTIER_SQL, parseFrontier, PREPARE_LOG_STATEMENTS_SQL } from '../../core/db/log.js';
import { leafHashOf, planAppend, type LogLeafInput, type LogReceipt } from '../../core/log/append.js';
import type { DigestSigner } from '../../core/log/digests.js';
import { insertSignedMessagesSql } from '../../core/db/signed-messages.js';
import { isUniqueViolation } from '../../core/db/transaction.js';
import { isStatementDataError } from '../../core/db/error-kinds.js';
import { ConflictError } from '../../core/errors.js';
import { duplicateError, signatureHashOf } from '../messages/submission.js';
import { STAGE_NAMES, type ProposalState } from '../../core/lifecycle/states.js';
import { joinedText } from '../joined-text.js';
import type { Choice } from '../../core/tally/types.js';

export interface VoteWrite {
  proposalId: string;
  spaceId: string;
  stage: number;
  openState: ProposalState;
  voter: string;
  messageId: string;
  choice: Choice;
  reason: string;
  timestamp: string;
  power: bigint;
  /** Power per strategy (sums to power): stored with the vote as the voter's voting_powers row. */
  powerByStrategy: bigint[];
  receivedAt: Date;
  /** The signed_messages row; the envelope as JSON text (it is embedded in the batch document as it is). */
  envelope: string;
  signature: string;
  sigKind: string;
  sigBlock: bigint | null;
}

/** The vote this one replaced (same voter and stage), as it was counted. */
export interface PreviousVote {
  choice: Choice;
  power: bigint;
}

export interface VoteWriteResult {
  previous: PreviousVote | null;
  /** The PostgreSQL transaction (full xid) that committed the vote: tells which snapshots contain it. */
  xid: bigint;
  /** The vote's place in the log: the head of its group commit and its inclusion proof. */
  log: LogReceipt;
}

/**
 * Called synchronously right after the vote's COMMIT, before its promise settles and before any
 * other I/O callback runs: a snapshot taken by a query sent after this call contains the vote.
 */
export type AfterCommit = (result: VoteWriteResult) => void;

interface Pending {
  vote: VoteWrite;
  afterCommit: AfterCommit | undefined;
  resolve: (result: VoteWriteResult) => void;
  reject: (error: unknown) => void;
}

interface Row {
  ord: number;
  duplicate: boolean;
  in_window: boolean;
  applied: boolean;
  prev_choice: Choice | null;
  prev_power: string | null;
  /** The proposal's state and the stage's window: null unless the vote was refused for them (not in_window). */
  state: string | null;
  start: Date | null;
  end: Date | null;
}

const PROPOSAL_ID_PATTERN = /^0x[0-9a-f]{64}$/;
export const MAX_WRITE_BATCH = 500;
const MAX_BATCHES_IN_FLIGHT = 2;

/** The batch write; see PREPARE_WRITE_SQL. */
const WRITE_SQL = `
WITH p AS (
  SELECT state,
         CASE WHEN $2::int = 1 THEN temperature_start ELSE consensus_start END AS start,
         CASE WHEN $2::int = 1 THEN temperature_end ELSE consensus_end END AS "end"
    FROM proposals WHERE id = $1::text
),
input AS (
  SELECT * FROM jsonb_to_recordset($4::jsonb)
    AS t(ord int, id text, voter text, choice jsonb, reason text, ts bigint, power numeric, received_at timestamptz,
         envelope jsonb, signature text, sig_kind text, sig_block bigint, by_strategy jsonb)
),
checked AS (
  -- The replay check is one primary-key probe per vote. As EXISTS (...) it became, in the plan cached
  -- while signed_messages was small, a hashed subplan reading the whole table for every batch, so
  -- each batch cost more than the last (9 ms to 36 ms per batch within one minute of votes).
  SELECT i.ord, i.id,
         d.seen IS NOT NULL AS duplicate,
         COALESCE((SELECT p.state = $3::text AND p.start IS NOT NULL AND p.start <= i.received_at AND p."end" IS NOT NULL AND i.received_at < p."end" FROM p), false) AS in_window
    FROM input i
    LEFT JOIN LATERAL (SELECT true AS seen FROM signed_messages s WHERE s.id = i.id LIMIT 1) d ON true
),
fresh AS (
  SELECT i.* FROM input i JOIN checked c ON c.ord = i.ord WHERE NOT c.duplicate AND c.in_window
),
prev AS (
  -- One primary-key lookup per vote of the batch, whatever the planner believes about the stage's
  -- size: with stale statistics it scanned every vote of the stage instead, which made intake
  -- quadratic. LIMIT 1 (the key allows one row anyway) keeps the subquery from being flattened.
  SELECT f.voter, v.choice, v.power::text AS power
    FROM fresh f
    CROSS JOIN LATERAL (
      SELECT v.choice, v.power FROM votes v WHERE v.proposal_id = $1::text AND v.stage = $2::int AND v.voter = f.voter LIMIT 1
    ) v
),
up AS (
  INSERT INTO votes (proposal_id, stage, voter, message_id, choice, reason, timestamp, power, received_at)
  SELECT $1::text, $2::int, voter, id, choice, reason, ts, power, received_at FROM fresh
  ON CONFLICT (proposal_id, stage, voter) DO UPDATE
    SET message_id = EXCLUDED.message_id, choice = EXCLUDED.choice, reason = EXCLUDED.reason,
        timestamp = EXCLUDED.timestamp, power = EXCLUDED.power, received_at = EXCLUDED.received_at
    WHERE votes.timestamp < EXCLUDED.timestamp
  RETURNING message_id
),
powers AS (
  -- The voter's power per strategy as counted, which a tally of several strategies reads (fixed per
  -- proposal and voter: the first row stays). With one strategy the breakdown is [power], the power
  -- the vote row holds, and the tally does not read it: that row was 15% of PostgreSQL's CPU per vote.
  INSERT INTO voting_powers (proposal_id, address, power, by_strategy, computed_at)
  SELECT $1::text, voter, power, by_strategy, now() FROM fresh WHERE jsonb_array_length(by_strategy) > 1
  ON CONFLICT (proposal_id, address) DO NOTHING
),
msgs AS (
  ${insertSignedMessagesSql(
    `SELECT f.id, 'Vote', f.voter, $5::text, $1::text, f.ts, f.envelope, f.signature, f.sig_kind, f.sig_block, f.received_at
    FROM fresh f JOIN up ON up.message_id = f.id`,
  )}
  RETURNING id
)
SELECT c.ord, c.duplicate, c.in_window,
       EXISTS (SELECT 1 FROM msgs m WHERE m.id = c.id) AS applied,
       pv.choice AS prev_choice, pv.power AS prev_power,
       -- The stage's state and window only for a vote refused for them (its error says which):
       -- for every vote they were two dates to parse in JavaScript, a thousand per full batch.
       CASE WHEN c.in_window THEN NULL ELSE p.state END AS state,
       CASE WHEN c.in_window THEN NULL ELSE p.start END AS start,
       CASE WHEN c.in_window THEN NULL ELSE p."end" END AS "end"
  FROM checked c
  JOIN input i ON i.ord = c.ord
  LEFT JOIN prev pv ON pv.voter = i.voter
  LEFT JOIN p ON true
 ORDER BY c.ord`;

/**
 * Prepared once per connection (SQL-level PREPARE, so a simple-protocol query can EXECUTE it) and
 * planned generically after a few runs. That plan is kept while the tables grow, so every lookup in
 * WRITE_SQL is written to be a key probe whatever their size was when it was made
 * (test/server/cached-plans.test.ts).
 */
export const PREPARE_WRITE_SQL = `PREPARE govrelay_vote_write(text, int, text, jsonb, text) AS ${WRITE_SQL}`;

function randomDollarTag(): string {
  return `$g${randomBytes(6).toString('hex')}$`;
}

/**
 * The tag in use, drawn once and drawn again only when a text contains it: drawing one per literal
 * cost a call into the random source for every document, two per group commit. Safety comes from
 * the absence check, not from the tag being secret.
 */
let currentTag = randomDollarTag();

/**
 * A dollar-quote tag that none of `texts` contains: the tag in use, or, when a text holds it, one
 * drawn until none does. Dollar quoting takes the text as it is (an escaped literal cost two
 * regular-expression passes over every batch document on the event loop) and means the same
 * whatever standard_conforming_strings is; with the tag absent, no text can end its literal early.
 * `tagOf(attempt)` gives the tag to try (attempt 0 first); tests pass their own.
 */
export function dollarTagFor(
  texts: readonly string[],
  tagOf: (attempt: number) => string = (attempt) => (attempt === 0 ? currentTag : (currentTag = randomDollarTag())),
): string {
  for (let attempt = 0; ; attempt++) {
    const tag = tagOf(attempt);
    if (!texts.some((text) => text.includes(tag))) return tag;
  }
}

/** A string as an SQL dollar-quoted literal (see dollarTagFor). */
export function sqlLiteral(text: string, tagOf?: (attempt: number) => string): string {
  const tag = dollarTagFor([text], tagOf);
  return `${tag}${text}${tag}`;
}

/**
 * The transaction's first round trip as one simple-protocol query: results[1] holds the transaction
 * id, results[2] the outcome per vote, results[4] the log's frontier (results[3]: its lock). The
 * proposal id is checked to be 0x + 64 hex and the stage to be an integer before they are inlined;
 * everything else goes in as a literal. The second round trip is logAndCommitSql.
 *
 * The text is made flat in one copy (joinedText): built by concatenation, its ~300 KB were copied
 * again for the tag check and again when node-postgres measured it, ~3 ms of the event loop per
 * batch of 500 votes. The tag is checked against each item instead of the whole document: an item is a JSON object
 * (`{` to `}`), and what joins items (`[`, `,`, `]`) never occurs in a tag, so a tag inside the
 * document would lie inside one item.
 */
export function transactionSql(votes: readonly VoteWrite[]): string {
  const first = votes[0]!;
  if (!PROPOSAL_ID_PATTERN.test(first.proposalId) || !Number.isInteger(first.stage)) {
    throw new Error(`vote writer: unexpected proposal ${first.proposalId} stage ${first.stage}`);
  }
  const items = votes.map(batchItem);
  const tag = dollarTagFor([first.openState, first.spaceId, ...items]);
  return joinedText(
    `BEGIN; SELECT ${proposalSharedLockSql(first.proposalId)}, pg_current_xact_id()::text AS xid; ` +
      `EXECUTE govrelay_vote_write('${first.proposalId}', ${first.stage}, ${tag}${first.openState}${tag}, ${tag}[`,
    items,
    `]${tag}, ${tag}${first.spaceId}${tag}); ${LOCK_AND_EXECUTE_FRONTIER_SQL}`,
  );
}

/** The second round trip: the log append (its JSON document as a literal), then COMMIT. */
export function logAndCommitSql(document: string | null): string {
  return document === null ? 'COMMIT' : `${executeLogAppendSql(sqlLiteral(document))}; COMMIT`;
}

function stageClosed(stage: number, detail: string): ConflictError {
  return new ConflictError('STAGE_CLOSED', `the ${STAGE_NAMES[stage] ?? `stage ${stage}`} check is not open for votes: ${detail}`);
}

function staleVote(): ConflictError {
  return new ConflictError('STALE_VOTE', 'a vote with the same or a newer timestamp from this voter is already counted in this stage');
}

/**
 * One vote of the batch document (the JSON array jsonb_to_recordset reads): a JSON object. The
 * envelope is already JSON text and goes in as it is: as elements of a text[] parameter,
 * node-postgres escaped every quote of every envelope in JavaScript, and PostgreSQL unescaped them
 * again before parsing the JSON.
 */
function batchItem(v: VoteWrite, ord: number): string {
  return (
    `{"ord":${ord},"id":${JSON.stringify(v.messageId)},"voter":${JSON.stringify(v.voter)},"choice":${JSON.stringify(v.choice)},` +
    `"reason":${JSON.stringify(v.reason)},"ts":${JSON.stringify(v.timestamp)},"power":"${v.power}","received_at":"${v.receivedAt.toISOString()}",` +
    `"envelope":${v.envelope},"signature":${JSON.stringify(v.signature)},"sig_kind":${JSON.stringify(v.sigKind)},` +
    `"sig_block":${v.sigBlock === null ? 'null' : `"${v.sigBlock}"`},` +
    `"by_strategy":${JSON.stringify(v.powerByStrategy.map(String))}}`
  );
}

export class VoteWriter {
  private readonly queues = new Map<string, Pending[]>();
  /** Per stage key: how many batches are being written, and the voters in them. */
  private readonly running = new Map<string, { batches: number; voters: Set<string> }>();
  /** Pool connections on which the write statement is prepared. */
  private readonly prepared = new WeakSet<pg.PoolClient>();

  constructor(
    private readonly pool: pg.Pool,
    /** Signs each group commit's tree head (the receipt key). */
    private readonly signDigest: DigestSigner,
    private readonly onHookError: (error: unknown) => void = () => undefined,
  ) {}

  /** Resolves after the vote committed; rejects with DUPLICATE, STAGE_CLOSED or STALE_VOTE (or a database error). */
  write(vote: VoteWrite, afterCommit?: AfterCommit): Promise<VoteWriteResult> {
    if (!PROPOSAL_ID_PATTERN.test(vote.proposalId)) return Promise.reject(new Error(`vote writer: unexpected proposal id ${vote.proposalId}`));
    return new Promise((resolve, reject) => {
      const key = `${vote.proposalId}:${vote.stage}`;
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = []));
      queue.push({ vote, afterCommit, resolve, reject });
      this.drain(key);
    });
  }

  /**
   * Starts batches while fewer than MAX_BATCHES_IN_FLIGHT of this stage are being written (a commit
   * waits for its WAL flush; a second batch keeps the database busy meanwhile). Not more: each
   * transaction costs PostgreSQL about a millisecond of CPU besides its rows (measured: per-vote CPU
   * 0.43 ms in batches of ~8, 0.08 ms in batches of ~100), so fewer, larger batches leave more of
   * the machine for everything else. A voter is
   * never in two batches at once, and never twice in one, so each voter's votes are written in
   * arrival order; the rows of different voters are independent.
   */
  private drain(key: string): void {
    let running = this.running.get(key);
    if (!running) this.running.set(key, (running = { batches: 0, voters: new Set() }));
    const state = running;
    while (state.batches < MAX_BATCHES_IN_FLIGHT) {
      const queue = this.queues.get(key) ?? [];
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      const blocked = new Set<string>();
      for (const item of queue) {
        const voter = item.vote.voter;
        if (batch.length < MAX_WRITE_BATCH && !state.voters.has(voter) && !blocked.has(voter)) {
          blocked.add(voter);
          batch.push(item);
        } else {
          blocked.add(voter); // a later vote of a waiting voter waits too (arrival order)
          rest.push(item);
        }
      }
      if (batch.length === 0) break;
      this.queues.set(key, rest);
      state.batches++;
      for (const item of batch) state.voters.add(item.vote.voter);
      this.writeBatch(batch)
        .catch((error: unknown) => {
          for (const item of batch) item.reject(error);
        })
        .finally(() => {
          state.batches--;
          for (const item of batch) state.voters.delete(item.vote.voter);
          this.drain(key);
        });
    }
    if (state.batches === 0 && (this.queues.get(key)?.length ?? 0) === 0) {
      this.running.delete(key);
      this.queues.delete(key);
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let rows: Row[];
    let xid: bigint;
    let logged: Map<number, LogReceipt>;
    try {
      ({ rows, xid, logged } = await this.transaction(batch.map((p) => p.vote)));
    } catch (error) {
      if (batch.length === 1) {
        if (isUniqueViolation(error)) return batch[0]!.reject(duplicateError(batch[0]!.vote.messageId, error));
        throw error;
      }
      // The statement was refused for its data: a concurrent writer (another instance) stored one of
      // these message ids first, or one vote holds a value PostgreSQL refuses. Whose it was is not
      // known, and one voter's vote must never fail another's: written one by one, each vote gets
      // its own outcome. (A lost connection fails the whole batch: retrying would fail the same way.)
      if (!isStatementDataError(error)) throw error;
      for (const item of batch) await this.writeBatch([item]).catch((itemError: unknown) => item.reject(itemError));
      return;
    }
    for (const row of rows) {
      const item = batch[row.ord]!;
      const { vote } = item;
      if (row.duplicate) item.reject(duplicateError(vote.messageId));
      else if (!row.in_window) item.reject(this.closedError(vote, row));
      else if (!row.applied) item.reject(staleVote());
      else {
        const result: VoteWriteResult = {
          previous: row.prev_choice === null || row.prev_power === null ? null : { choice: row.prev_choice, power: BigInt(row.prev_power) },
          xid,
          log: logged.get(row.ord)!,
        };
        try {
          item.afterCommit?.(result);
        } catch (error) {
          // The vote is committed: a failing observer must not turn its acknowledgement into an error.
          this.onHookError(error);
        }
        item.resolve(result);
      }
    }
  }

  private closedError(vote: VoteWrite, row: Row): ConflictError {
    if (row.state === null) return stageClosed(vote.stage, 'the proposal does not exist');
    if (row.state !== vote.openState) return stageClosed(vote.stage, `the proposal is ${row.state}`);
    if (!row.start || vote.receivedAt < row.start) return stageClosed(vote.stage, 'it has not started');
    return stageClosed(vote.stage, 'it has ended');
  }

  private async transaction(votes: VoteWrite[]): Promise<{ rows: Row[]; xid: bigint; logged: Map<number, LogReceipt> }> {
    // Leaf hashes before any lock is held: the log lock serialises every instance's appends.
    const leaves: LogLeafInput[] = votes.map((v) => {
      const leaf: LogLeafInput = { messageId: v.messageId, signatureHash: signatureHashOf(v.signature), receivedAt: v.receivedAt };
      leaf.leafHash = leafHashOf(leaf);
      return leaf;
    });
    const client = await this.pool.connect();
    try {
      if (!this.prepared.has(client)) {
        await client.query(`${PREPARE_WRITE_SQL}; ${PREPARE_LOG_STATEMENTS_SQL}`);
        this.prepared.add(client);
      }
      // Two round trips: BEGIN, the proposal lock and the transaction id, the write, the log lock and
      // frontier; then the log append and COMMIT. Each round trip costs both processes a socket write
      // and a wake-up. The reply comes after COMMIT, so nothing is acknowledged before it is durable.
      const results = (await client.query(transactionSql(votes))) as unknown as pg.QueryResult[];
      const xid = BigInt((results[1]!.rows[0] as { xid: string }).xid);
      const rows = results[2]!.rows as Row[];
      const applied = rows.filter((row) => row.applied).sort((a, b) => a.ord - b.ord);
      const logged = new Map<number, LogReceipt>();
      if (applied.length === 0) {
        await client.query(logAndCommitSql(null));
        return { rows, xid, logged };
      }
      const planned = planAppend(
        parseFrontier(results[4]!.rows),
        applied.map((row) => leaves[row.ord]!),
        this.signDigest,
      );
      const commit = client.query(logAndCommitSql(planned.document));
      commit.catch(() => undefined); // awaited below; a rejection is handled there
      // The proofs are computed while the append and COMMIT are on their way.
      const receipts = planned.receipts();
      await commit;
      applied.forEach((row, i) => logged.set(row.ord, receipts[i]!));
      return { rows, xid, logged };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
