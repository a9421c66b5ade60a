const LABELS: Record<string, string> = {
  pending: 'Pending',
  temperature: 'Temperature check',
  'awaiting-advance': 'Awaiting advance',
  consensus: 'Consensus check',
  accepted: 'Accepted',
  queued: 'Queued',
  executed: 'Executed',
  defeated: 'Defeated',
  cancelled: 'Cancelled',
};

export const stateLabel = (state: string) => LABELS[state] ?? state;

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state}`}>{stateLabel(state)}</span>;
}
