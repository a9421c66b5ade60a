/** The verifier's findings and how they are printed: one line per difference, naming what differs. */

export type CheckName = 'domain' | 'message' | 'signature' | 'receipt' | 'space' | 'proposal' | 'vote' | 'power' | 'tally' | 'log' | 'anchor' | 'execution';

/** With --anchor: the contract read and every anchored tree head found, each with its verdict. */
export interface AnchorReport {
  address: string;
  fromBlock: number;
  heads: { treeSize: number; rootHash: string; timestamp: number; blockNumber: number; txHash: string; ok: boolean }[];
}

export interface Difference {
  check: CheckName;
  /** What differs: a message id, a voter address, or a field such as `stage 1 scores[0]`. */
  subject: string;
  detail: string;
}

export interface Report {
  proposalId: string;
  server: string;
  /** True only when nothing differs (parts that could not be checked are in `notes`, not failures). */
  ok: boolean;
  /** What was checked, by part: counts and one-line verdicts. */
  checked: Record<string, string>;
  differences: Difference[];
  /** What was not checked, and why (no RPC URL, no published log, an off-chain strategy…). */
  notes: string[];
  /** With --anchor only. */
  anchor?: AnchorReport;
}

export function formatReport(report: Report): string {
  const lines = [`govrelay verify ${report.proposalId} (${report.server})`];
  for (const [part, verdict] of Object.entries(report.checked)) lines.push(`  ${part.padEnd(12)} ${verdict}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.differences.length > 0) {
    lines.push(`${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}:`);
    for (const d of report.differences) lines.push(`  [${d.check}] ${d.subject}: ${d.detail}`);
  }
  lines.push(report.ok ? 'everything matches' : 'MISMATCH: the published proposal does not check out');
  return lines.join('\n');
}

/** JSON form: bigints never appear (every number is already a string or a safe integer). */
export const reportJson = (report: Report): string => JSON.stringify(report, null, 2);
