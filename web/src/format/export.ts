/** Votes as CSV or JSON files, with exactly the values the API returns. */
import type { Vote } from '../api/types';

export const VOTE_COLUMNS = ['voter', 'stage', 'choice', 'power', 'reason', 'timestamp', 'receivedAt', 'messageId'] as const;

function cell(value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  // A spreadsheet would run a cell starting with = + - @ as a formula: such text gets a leading '.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV; `choice` is its JSON text (1, [1,3], {"1":2}). */
export function votesCsv(votes: Vote[]): string {
  const lines = [VOTE_COLUMNS.join(',')];
  for (const v of votes) lines.push(VOTE_COLUMNS.map((c) => cell(c === 'choice' ? JSON.stringify(v.choice) : v[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function votesJson(votes: Vote[]): string {
  return JSON.stringify(votes, null, 2);
}

export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
