/**
 * The ballot a member fills in, per voting type, and the `choice` string it signs (docs/messages.md,
 * "Choice encoding"): 1-based integers, no spaces.
 */
export type Ballot =
  | { kind: 'single'; choice: number | null }
  | { kind: 'approval'; chosen: number[] }
  | { kind: 'weights'; weights: Record<number, number> }
  | { kind: 'ranking'; order: number[] };

export function emptyBallot(votingType: string, choiceCount: number): Ballot {
  switch (votingType) {
    case 'approval':
      return { kind: 'approval', chosen: [] };
    case 'weighted':
    case 'quadratic':
      return { kind: 'weights', weights: {} };
    case 'ranked-choice':
      return { kind: 'ranking', order: Array.from({ length: choiceCount }, (_, i) => i + 1) };
    default:
      return { kind: 'single', choice: null };
  }
}

/** A stored vote's choice (parsed JSON) back into a ballot, to show and edit a previous vote. */
export function ballotFromChoice(votingType: string, choiceCount: number, choice: unknown): Ballot {
  const ballot = emptyBallot(votingType, choiceCount);
  if (ballot.kind === 'single' && (typeof choice === 'number' || typeof choice === 'string')) return { kind: 'single', choice: Number(choice) };
  if (ballot.kind === 'approval' && Array.isArray(choice)) return { kind: 'approval', chosen: choice.map(Number) };
  if (ballot.kind === 'ranking' && Array.isArray(choice) && choice.length === choiceCount) return { kind: 'ranking', order: choice.map(Number) };
  if (ballot.kind === 'weights' && choice && typeof choice === 'object') {
    const weights: Record<number, number> = {};
    for (const [k, v] of Object.entries(choice as Record<string, unknown>)) weights[Number(k)] = Number(v);
    return { kind: 'weights', weights };
  }
  return ballot;
}

/** The signed `choice` text, or null while the ballot is incomplete. */
export function encodeBallot(ballot: Ballot): string | null {
  switch (ballot.kind) {
    case 'single':
      return ballot.choice ? String(ballot.choice) : null;
    case 'approval':
      return ballot.chosen.length ? `[${[...ballot.chosen].sort((a, b) => a - b).join(',')}]` : null;
    case 'ranking':
      return `[${ballot.order.join(',')}]`;
    case 'weights': {
      const entries = Object.entries(ballot.weights).filter(([, w]) => Number.isInteger(w) && w > 0);
      if (!entries.length) return null;
      entries.sort(([a], [b]) => Number(a) - Number(b));
      return `{${entries.map(([k, w]) => `"${k}":${w}`).join(',')}}`;
    }
  }
}

/** Moves the entry at `from` in a ranking by `delta` places (keyboard reordering). */
export function move(order: number[], from: number, delta: number): number[] {
  const to = from + delta;
  if (to < 0 || to >= order.length) return order;
  const next = [...order];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}
