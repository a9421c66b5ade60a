import type { SpaceSettingsView, StageSettings } from '../api/settings';
import { formatUnits } from '../format/units';
import { period } from '../format/time';
import type { TokenDisplay } from '../format/token';
import { AddressView } from './AddressView';

const VOTING_TYPES: Record<string, string> = {
  basic: 'For / Against / Abstain',
  'single-choice': 'one choice',
  approval: 'approve any number of choices',
  weighted: 'split your power across choices by weight',
  quadratic: 'split your power, counted quadratically',
  'ranked-choice': 'rank every choice (instant runoff)',
  proposal: 'the voting type the proposal names',
};

const pct = (bps: number) => `${bps / 100}%`;

function quorumWords(stage: StageSettings, token: TokenDisplay): string {
  if (stage.quorum.kind === 'absolute') return `votes carrying at least ${formatUnits(stage.quorum.power ?? '0', token.decimals)} ${token.symbol} of power`;
  return `votes carrying at least ${pct(stage.quorum.bps ?? 0)} of the token's supply at the snapshot`;
}

function StageRule({ title, stage, token }: { title: string; stage: StageSettings; token: TokenDisplay }) {
  return (
    <div className="rule-stage">
      <h3>{title}</h3>
      <ul>
        <li>Open for {period(stage.period)}.</li>
        <li>Ballot: {VOTING_TYPES[stage.votingType] ?? stage.votingType}.</li>
        <li>Quorum: {quorumWords(stage, token)}.</li>
        <li>Passes when the winning side has more than {pct(stage.passThresholdBps)} of the votes counted.</li>
      </ul>
    </div>
  );
}

/** The space's rules in plain words, read from its signed settings. */
export function SpaceRules({ settings, token, timelockDelay }: { settings: SpaceSettingsView; token: TokenDisplay; timelockDelay?: number | null }) {
  const strategies = settings.strategies ?? [];
  const gate = settings.proposalGate;
  return (
    <section className="rules" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      <p>
        Voting power is{' '}
        {strategies.length === 0
          ? 'not configured'
          : strategies.map((s, i) => (
              <span key={i}>
                {i > 0 ? ' plus ' : ''}
                {s.weight !== undefined && s.weight !== 1 ? `${s.weight} × ` : ''}
                <code>{s.name}</code>
              </span>
            ))}
        , read at each proposal's snapshot block.
      </p>
      <p>
        {gate?.kind === 'members'
          ? 'Only listed members may propose.'
          : `Anyone with at least ${formatUnits(gate?.kind === 'power' ? gate.minPower : '0', token.decimals)} ${token.symbol} may propose`}
        {gate?.kind === 'members' ? '' : ` (at most ${settings.maxActiveProposalsPerAuthor ?? 10} active proposals each).`}
      </p>
      {settings.votingDelay ? <p>Voting opens {period(settings.votingDelay)} after a proposal is made.</p> : null}
      {settings.temperature && <StageRule title="1. Temperature check" stage={settings.temperature} token={token} />}
      {settings.consensus && <StageRule title="2. Consensus check" stage={settings.consensus} token={token} />}
      <p>
        {settings.advance === 'author'
          ? 'After a passed temperature check, the author opens the consensus check.'
          : 'A passed temperature check opens the consensus check at once.'}
      </p>
      {settings.executor ? (
        <p>
          Passed executable proposals are scheduled in the timelock <AddressView address={settings.executor} />
          {timelockDelay != null ? <> and can run {period(timelockDelay)} later</> : null}
          {settings.executionGracePeriod ? <>; an operation not executed within {period(settings.executionGracePeriod)} of being ready expires</> : null}.
        </p>
      ) : (
        <p>This space has no executor: its proposals are signals only.</p>
      )}
      {settings.governor ? (
        <p>
          Proposals may also go through the Governor <AddressView address={settings.governor} />.
        </p>
      ) : null}
    </section>
  );
}
