/**
 * The timed part of bench/tally-1m.ts, in a process of its own so that its peak memory is the
 * tally's and nothing else's (the parent holds the setup's state and pg pools).
 *
 *   node --import tsx bench/tally-child.ts <databaseUrl> <proposalId> <stage> <runs>
 *
 * Prints one JSON line on stdout: the RSS after startup and imports, each run's duration and the
 * process's peak RSS after it, and the last run's tally (bigints as decimal strings).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isScript } from './run-as-script.js';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { findProposal } from '../core/proposals/repository.js';
import { tallyStage, tallyToJson, type TallyJson } from '../server/votes/stage-tally.js';

export interface TallyChildReport {
  baselineMiB: number;
  runs: { seconds: number; peakMiB: number }[];
  /** The most the process ever had resident: startup and every run (VmHWM). */
  peakMiB: number;
  /** Whether each run's peak is its own (VmHWM reset before it) or the process's peak so far. */
  peakPerRun: boolean;
  tally: TallyJson;
}

/** A /proc/self/status field in MiB (reported there in kB). */
function statusMiB(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/self/status`);
  return Math.round((Number(match[1]) / 1024) * 10) / 10;
}

/** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so each run gets its own peak. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const [databaseUrl, proposalId, stageArg, runsArg] = process.argv.slice(2);
  if (!databaseUrl || !proposalId) throw new Error('usage: tally-child.ts <databaseUrl> <proposalId> [stage] [runs]');
  const stage = Number(stageArg ?? 1);
  const runCount = Number(runsArg ?? 3);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const proposal = await findProposal(pool, proposalId);
    if (!proposal) throw new Error(`proposal ${proposalId} not found`);
    // After the imports, the pool's first connection and the proposal read: what the process costs without a tally.
    const baselineMiB = statusMiB('VmRSS');
    const startupPeakMiB = statusMiB('VmHWM');
    let peakPerRun = true;
    const runs: TallyChildReport['runs'] = [];
    let tally: TallyJson | undefined;
    for (let run = 0; run < runCount; run++) {
      peakPerRun = resetPeak() && peakPerRun;
      const started = performance.now();
      const result = await tallyStage(pool, proposal, stage);
      runs.push({ seconds: (performance.now() - started) / 1000, peakMiB: statusMiB('VmHWM') });
      tally = tallyToJson(result);
    }
    const report: TallyChildReport = { baselineMiB, runs, peakMiB: Math.max(startupPeakMiB, ...runs.map((r) => r.peakMiB)), peakPerRun, tally: tally! };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
  }
}

if (isScript(import.meta.url)) await main();
