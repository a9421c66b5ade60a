import type { ReactNode } from 'react';
import { executionOf, type StageCloseDetail } from '../api/execution';
import type { Proposal, Transition } from '../api/types';
import { Countdown } from './Countdown';
import { TxHash } from './TxHash';
import { Time } from './Time';

const CAUSES: Record<string, string> = {
  created: 'when it was created',
  schedule: 'on time',
  sweep: 'on time (caught up by the server)',
  message: 'by a signed message',
};

const OUTCOMES: Record<string, string> = {
  passed: 'passed',
  'defeated:no-votes': 'defeated: nobody voted',
  'defeated:no-quorum': 'defeated: quorum not reached',
  'defeated:tie': 'defeated: tie for first place',
  'defeated:threshold': 'defeated: pass threshold not reached',
};

const STAGE = ['', 'Temperature check', 'Consensus check'];

interface Entry {
  key: string;
  kind: 'done' | 'bad' | 'now' | 'next';
  title: ReactNode;
  at: string | null;
  note?: ReactNode;
  countdown?: boolean;
}

function transitionEntry(t: Transition, index: number): Entry {
  const detail = (t.detail ?? null) as StageCloseDetail | null;
  const cause = CAUSES[t.cause] ?? t.cause;
  const closed = detail?.stage ? `${STAGE[detail.stage]} ${OUTCOMES[detail.outcome] ?? detail.outcome}` : null;
  const base = {
    key: `t${index}`,
    at: t.at,
    note: (
      <>
        {closed ? `${closed}; ` : ''}
        {cause}
      </>
    ),
  };
  switch (t.to) {
    case 'pending':
      return { ...base, kind: 'done', title: 'Proposed; waiting for voting to open' };
    case 'temperature':
      return { ...base, kind: 'done', title: t.from === null ? 'Proposed; temperature check opened' : 'Temperature check opened' };
    case 'awaiting-advance':
      return { ...base, kind: 'done', title: 'Temperature check passed; waiting for the author to advance' };
    case 'consensus':
      return { ...base, kind: 'done', title: 'Consensus check opened' };
    case 'accepted':
      return { ...base, kind: 'done', title: 'Accepted' };
    case 'queued':
      return { ...base, kind: 'done', title: 'Passed; queued for execution' };
    case 'defeated':
      return { ...base, kind: 'bad', title: 'Defeated' };
    case 'cancelled':
      return { ...base, kind: 'bad', title: 'Cancelled' };
    default:
      return { ...base, kind: 'done', title: t.to };
  }
}

/** The proposal's whole life: what happened (with time and cause) and what comes next. */
export function Timeline({ proposal, history }: { proposal: Proposal; history: Transition[] }) {
  const entries: Entry[] = history.map(transitionEntry);
  if (history.length === 0) entries.push({ key: 'created', kind: 'done', title: 'Proposed', at: proposal.createdAt });
  const state = proposal.state;
  if (state === 'pending') entries.push({ key: 'next', kind: 'next', title: 'Temperature check opens', at: proposal.temperature.start, countdown: true });
  if (state === 'temperature') entries.push({ key: 'next', kind: 'now', title: 'Temperature check closes', at: proposal.temperature.end, countdown: true });
  if (state === 'consensus' && proposal.consensus.end)
    entries.push({ key: 'next', kind: 'now', title: 'Consensus check closes', at: proposal.consensus.end, countdown: true });

  const execution = executionOf(proposal);
  if (execution) {
    const updated = execution.updatedAt;
    if (execution.scheduleTx || execution.eta)
      entries.push({
        key: 'scheduled',
        kind: 'done',
        title: 'Scheduled in the timelock',
        at: null,
        note: (
          <>
            {execution.eta ? (
              <>
                executable from <Time at={execution.eta} />
                {execution.status === 'scheduled' ? (
                  <>
                    {' '}
                    (<Countdown to={execution.eta} />)
                  </>
                ) : null}
              </>
            ) : null}
            {execution.scheduleTx ? (
              <>
                {' '}
                · <TxHash hash={execution.scheduleTx} />
              </>
            ) : null}
          </>
        ),
      });
    if (execution.status === 'voting') entries.push({ key: 'voting', kind: 'now', title: 'On-chain Governor vote open', at: updated });
    if (execution.status === 'executed')
      entries.push({
        key: 'executed',
        kind: 'done',
        title: 'Executed',
        at: updated,
        note: (
          <>
            {execution.executeTx ? <TxHash hash={execution.executeTx} /> : null}
            {execution.executeBlock ? ` in block ${execution.executeBlock}` : ''}
          </>
        ),
      });
    if (execution.status === 'cancelled')
      entries.push({ key: 'x-cancelled', kind: 'bad', title: 'Execution cancelled', at: updated, note: execution.reason ?? '' });
    if (execution.status === 'failed') entries.push({ key: 'x-failed', kind: 'bad', title: 'Execution failed', at: updated, note: execution.reason ?? '' });
    if (execution.status === 'queued') entries.push({ key: 'x-queued', kind: 'now', title: 'Waiting for the relayer to schedule it', at: null });
  }

  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <ol className="timeline">
        {entries.map((e) => (
          <li key={e.key} className={e.kind}>
            <div>{e.title}</div>
            <div className="when">
              {e.at ? <Time at={e.at} /> : null}
              {e.countdown && e.at ? (
                <>
                  {' '}
                  · <Countdown to={e.at} />
                </>
              ) : null}
              {e.note ? <> · {e.note}</> : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
