import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { apiGet } from '../api/client';
import { useApi } from '../api/useApi';
import type { Tally } from '../api/types';
import { AddressView } from '../components/AddressView';
import { Markdown } from '../components/Markdown';
import { ProposalLinks } from '../components/ProposalLinks';
import { StageResults } from '../components/StageResults';
import { StateBadge } from '../components/StateBadge';
import { ErrorNote, Loading } from '../components/Status';
import { Time } from '../components/Time';
import { Timeline } from '../components/Timeline';
import { VotesPanel } from '../components/VotesPanel';
import { KindRules } from '../components/KindRules';
import { PowerSpikeWarning } from '../components/PowerSpikeWarning';
import { SimulationsPanel } from '../components/SimulationsPanel';
import { VetoPanel } from '../components/VetoPanel';
import { executionOf } from '../api/execution';
import { strategyDisplays, tokenDisplayOf } from '../format/token';
import { loadSpaceTokens } from '../api/tokens';
import { useLive } from '../live/useLive';
import { Link } from '../router/Link';
import { spacePath } from '../router/routes';

// Voting (wallet, signing, receipt checks) loads only when a stage is open: web/src/vote/.
const VotePanel = lazy(() => import('../vote/VotePanel'));
const PayloadView = lazy(() => import('../propose/PayloadView'));
const ProposalActions = lazy(() => import('../propose/ProposalActions'));

const STAGE_NAMES = ['', 'Temperature check', 'Consensus check'];

async function loadProposal(id: string, signal: AbortSignal) {
  const [proposal, rules, history] = await Promise.all([
    apiGet('/api/proposals/{id}', { path: { id }, signal }),
    apiGet('/api/proposals/{id}/rules', { path: { id }, signal }),
    apiGet('/api/proposals/{id}/history', { path: { id }, signal }),
  ]);
  // Units (decimals, symbol) of the space's tokens: cached by the server, one short request.
  const tokens = await loadSpaceTokens(proposal.space, signal);
  return { proposal, rules, history: history.items, tokens };
}

export default function ProposalPage({ id }: { id: string }) {
  const data = useApi(`proposal:${id}`, (signal) => loadProposal(id, signal));
  const [live, setLive] = useState<Record<number, Tally>>({});
  const [votesRound, setVotesRound] = useState(0);
  const [stage, setStage] = useState<number | null>(null);
  const votesTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const proposal = data.status === 'ready' ? data.data.proposal : null;
  const openStages = proposal ? (proposal.consensus.start ? [1, 2] : [1]) : [];
  const shown = stage ?? openStages.at(-1) ?? 1;

  // The live tallies of stages still open (closed stages show their stored final result).
  const tallies = useApi(`tallies:${id}:${proposal?.state ?? ''}:${openStages.join()}`, async (signal) => {
    if (!proposal) return {};
    const out: Record<number, Tally> = {};
    for (const s of openStages) {
      if (proposal.results.some((r) => r.stage === s)) continue;
      out[s] = (await apiGet('/api/proposals/{id}/tally', { path: { id }, query: { stage: s as 1 | 2 }, signal })).tally;
    }
    return out;
  });
  useEffect(() => setLive({}), [tallies.status === 'ready' ? tallies.data : null]);

  const connected = useLive(
    { proposal: id },
    (frame) => {
      if (frame.type === 'tally') {
        setLive((l) => ({ ...l, [frame.stage]: frame.tally }));
        // The table follows the tally, at most twice a second.
        if (!votesTimer.current)
          votesTimer.current = setTimeout(() => {
            votesTimer.current = null;
            setVotesRound((r) => r + 1);
          }, 500);
      } else if (frame.type === 'lifecycle' || frame.type === 'execution') {
        data.reload();
      }
    },
    () => {
      data.reload();
      tallies.reload();
      setVotesRound((r) => r + 1);
    },
  );
  useEffect(() => () => void (votesTimer.current && clearTimeout(votesTimer.current)), []);

  if (data.status === 'loading') return <Loading what="proposal" />;
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const { rules, history, tokens } = data.data;
  const p = data.data.proposal;
  const token = tokenDisplayOf(rules.settings, tokens);
  const stageRules = rules.stages.find((s) => s.stage === shown) ?? rules.stages[0]!;
  const result = p.results.find((r) => r.stage === shown) ?? null;
  const liveTally = live[shown] ?? (tallies.status === 'ready' ? ((tallies.data as Record<number, Tally>)[shown] ?? null) : null);
  const execution = executionOf(p);

  return (
    <article className="proposal">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Spaces</Link> / <Link to={spacePath(p.space)}>{p.space}</Link>
      </nav>
      <h1 className="proposal-title">{p.title}</h1>
      <p className="meta">
        <StateBadge state={execution?.status === 'executed' ? 'executed' : p.state} /> · by <AddressView address={p.author} /> · <Time at={p.createdAt} /> ·
        snapshot block {p.snapshot}
      </p>
      <ProposalLinks proposal={p} />
      <div className="columns">
        <div>
          <section aria-labelledby="body-heading">
            <h2 id="body-heading" className="visually-hidden">
              Proposal
            </h2>
            <Markdown source={p.body} />
          </section>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">Results {connected ? null : <span className="muted">(reconnecting…)</span>}</h2>
            {openStages.length > 1 && (
              <div className="stage-tabs" role="group" aria-label="Stage">
                {openStages.map((s) => (
                  <button key={s} type="button" className="chip" aria-pressed={shown === s} onClick={() => setStage(s)}>
                    {STAGE_NAMES[s]}
                  </button>
                ))}
              </div>
            )}
            <h3>{STAGE_NAMES[shown]}</h3>
            <StageResults rules={stageRules} result={result} live={liveTally} token={token} />
            <PowerSpikeWarning result={result} />
          </section>
          <section aria-labelledby="votes-heading">
            <h2 id="votes-heading">Votes</h2>
            <VotesPanel key={shown} proposalId={p.id} rules={stageRules} token={token} round={votesRound} />
          </section>
        </div>
        <aside>
          {(p.state === 'temperature' && shown === 1) || (p.state === 'consensus' && shown === 2) ? (
            <Suspense fallback={<Loading what="voting" />}>
              <VotePanel
                key={`${p.id}:${shown}`}
                proposal={p}
                rules={stageRules}
                strategies={(rules.settings as { strategies?: { name: string }[] }).strategies ?? []}
                token={token}
                strategyUnits={strategyDisplays(rules.settings, tokens)}
              />
            </Suspense>
          ) : null}
          {p.veto ? <VetoPanel proposal={p} veto={p.veto} executionStatus={execution?.status ?? null} onVetoed={() => data.reload()} /> : null}
          <Timeline proposal={p} history={history} />
          <KindRules rules={rules} />
          <section aria-labelledby="choices-heading">
            <h2 id="choices-heading">Choices</h2>
            <ol className="choices">
              {p.choices.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ol>
            <p className="muted">Voting type: {p.votingType}</p>
          </section>
          {p.execution ? (
            <section aria-labelledby="execution-heading">
              <h2 id="execution-heading">Execution</h2>
              <p>Runs through the {p.execution === 'governor' ? 'Governor and the timelock' : 'timelock'} when it passes.</p>
              <p className="muted">
                Payload hash <code className="hash">{p.payloadHash}</code>
              </p>
              {execution?.operationId ? (
                <p className="muted">
                  Operation id <code className="hash">{execution.operationId}</code>
                </p>
              ) : null}
              <Suspense fallback={<Loading what="payload" />}>
                <PayloadView id={p.id} />
              </Suspense>
            </section>
          ) : null}
          {p.execution ? <SimulationsPanel simulations={p.simulations} /> : null}
          <Suspense fallback={null}>
            <ProposalActions proposal={p} settings={rules.settings as { admins?: string[]; moderators?: string[] }} onDone={() => data.reload()} />
          </Suspense>
        </aside>
      </div>
    </article>
  );
}
