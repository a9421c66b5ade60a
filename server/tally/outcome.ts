/**
 * Pass/fail of a stage from its tally and rules. All comparisons are on bigint; shares are
 * compared by cross-multiplying (score × 10000 > bps × denominator), never by dividing.
 *
 * Outcome precedence: defeated:no-votes (no vote at all) > defeated:no-quorum > defeated:tie
 * (non-basic types only) > defeated:threshold > passed.
 */
import { BASIC_AGAINST, BASIC_FOR } from './basic.js';
import type { StageOutcome, StageRules, Tally } from '../../core/tally/types.js';

const BPS = 10_000n;

export function decideOutcome(tally: Tally, rules: StageRules): StageOutcome {
  const bps = rules.passThresholdBps;
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new RangeError(`passThresholdBps must be an integer from 0 to 10000; got ${bps}`);
  }
  // Quorum counts every vote's power, abstentions included.
  const quorumReached = tally.totalPower >= rules.quorum;
  if (tally.voterCount === 0) {
    return { quorumReached, passed: false, winningChoice: null, outcome: 'defeated:no-votes' };
  }
  return tally.votingType === 'basic' ? decideBasic(tally, BigInt(bps), quorumReached) : decideByTopScore(tally, BigInt(bps), quorumReached);
}

/**
 * Basic: only For and Against are decisive. Passes when For × 10000 > bps × (For + Against), so
 * 5000 is a strict majority and a For = Against tie fails at 5000. With no decisive power at all
 * (abstain-only) it cannot pass. winningChoice: For (1) when passed; otherwise Against (2) when
 * Against ≥ For, For (1) when For leads but missed quorum or threshold, null when no power went
 * to For or Against.
 */
function decideBasic(tally: Tally, bps: bigint, quorumReached: boolean): StageOutcome {
  const forPower = tally.scores[BASIC_FOR - 1] ?? 0n;
  const againstPower = tally.scores[BASIC_AGAINST - 1] ?? 0n;
  const decisive = forPower + againstPower;
  const overThreshold = decisive > 0n && forPower * BPS > bps * decisive;
  const passed = quorumReached && overThreshold;
  let winningChoice: number | null;
  if (passed) winningChoice = BASIC_FOR;
  else if (decisive === 0n) winningChoice = null;
  else winningChoice = againstPower >= forPower ? BASIC_AGAINST : BASIC_FOR;
  const outcome = passed ? 'passed' : quorumReached ? 'defeated:threshold' : 'defeated:no-quorum';
  return { quorumReached, passed, winningChoice, outcome };
}

/**
 * Other types: the winner is the unique top score; a tie for first means no winner. Passes when
 * the top score × 10000 > bps × denominator, where the denominator is Σ scores, except for
 * approval where it is totalPower (a voter's power appears in several approval scores, so Σ
 * scores would overstate the electorate).
 */
function decideByTopScore(tally: Tally, bps: bigint, quorumReached: boolean): StageOutcome {
  let top = -1;
  let tiedForTop = false;
  for (let c = 0; c < tally.scores.length; c++) {
    const score = tally.scores[c]!;
    if (top === -1 || score > tally.scores[top]!) {
      top = c;
      tiedForTop = false;
    } else if (score === tally.scores[top]) {
      tiedForTop = true;
    }
  }
  const winningChoice = top === -1 || tiedForTop ? null : top + 1;
  if (!quorumReached) return { quorumReached, passed: false, winningChoice, outcome: 'defeated:no-quorum' };
  if (winningChoice === null) return { quorumReached, passed: false, winningChoice, outcome: 'defeated:tie' };

  const denominator = tally.votingType === 'approval' ? tally.totalPower : tally.scores.reduce((sum, score) => sum + score, 0n);
  const passed = tally.scores[top]! * BPS > bps * denominator;
  return { quorumReached, passed, winningChoice, outcome: passed ? 'passed' : 'defeated:threshold' };
}
