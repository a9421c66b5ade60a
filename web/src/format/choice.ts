/** A stored vote's choice (parsed JSON: 1, [1,3], {"1":2}) in words, by the stage's voting type. */
export function choiceText(choice: unknown, votingType: string, choices: string[]): string {
  const name = (n: unknown) => choices[Number(n) - 1] ?? `#${String(n)}`;
  if (typeof choice === 'number' || typeof choice === 'string') return name(choice);
  if (Array.isArray(choice)) {
    if (votingType === 'ranked-choice') return choice.map((n, i) => `${i + 1}. ${name(n)}`).join(', ');
    return choice.map(name).join(', ');
  }
  if (choice && typeof choice === 'object') {
    return Object.entries(choice as Record<string, unknown>)
      .map(([n, w]) => `${name(n)}: ${String(w)}`)
      .join(', ');
  }
  return JSON.stringify(choice);
}
