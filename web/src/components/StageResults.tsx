import type { StageResult, StageRules, Tally } from '../api/types';
import type { TokenDisplay } from '../format/token';
import { QuorumProgress } from './QuorumProgress';
import { RankedRounds } from './RankedRounds';
import { ScoreBars } from './ScoreBars';

const OUTCOMES: Record<string, string> = {
  passed: 'Passed',
  'defeated:no-votes': 'Defeated: nobody voted',
  'defeated:no-quorum': 'Defeated: quorum not reached',
  'defeated:tie': 'Defeated: tie for first place',
  'defeated:threshold': 'Defeated: pass threshold not reached',
};

/** One stage's results: the final tally once it closed, the live one (pushed over /ws) before. */
export function StageResults({ rules, result, live, token }: { rules: StageRules; result: StageResult | null; live: Tally | null; token: TokenDisplay }) {
  const tally = result ?? live;
  if (!tally) return <p className="muted">No tally yet.</p>;
  return (
    <div className="stage-results" data-stage={rules.stage} data-final={result ? 'true' : 'false'}>
      <p className="muted">
        {result ? (
          <strong className={result.passed ? 'state-accepted' : 'state-defeated'}>{OUTCOMES[result.outcome] ?? result.outcome}</strong>
        ) : (
          <span className="live" aria-live="polite">
            ● live
          </span>
        )}{' '}
        · <span data-testid="voter-count">{tally.voterCount}</span> {tally.voterCount === 1 ? 'voter' : 'voters'} · {rules.votingType}
      </p>
      <ScoreBars choices={tally.choices} scores={tally.scores} totalPower={tally.totalPower} token={token} winner={result?.winningChoice ?? null} />
      <QuorumProgress
        totalPower={tally.totalPower}
        quorum={result?.quorum ?? rules.quorum}
        token={token}
        {...(result ? { reached: result.quorumReached } : {})}
      />
      <p>Passes when the winning side has more than {rules.passThresholdBps / 100}% of the votes counted and the quorum is reached.</p>
      {'rounds' in tally && tally.rounds && tally.rounds.length > 0 ? <RankedRounds rounds={tally.rounds} choices={tally.choices} token={token} /> : null}
    </div>
  );
}
