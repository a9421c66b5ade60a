/**
 * Power-spike warning (issue 18, item 6): when a stage closes, the voters whose power at the snapshot
 * is more than the space's `powerSpike.multiple` times their power `powerSpike.lookbackBlocks` blocks
 * earlier are listed in the stage result's warnings (they are counted all the same: a warning, not an
 * exclusion) and announced to the space's Discord channel and webhooks (a `proposal.warning` event).
 * Power bought or borrowed for a known snapshot (Beanstalk) shows up this way.
 *
 * It runs after the close has committed (a lifecycle listener), on the instance that closed the stage:
 * the close itself never waits for the extra chain reads. The power at the snapshot is the one each
 * vote counted (votes.power); the earlier power is read with the proposal's strategies at the earlier
 * block. Multiples are compared in hundredths, in integers.
 */
import type pg from 'pg';
import type { JsonRpcProvider } from 'ethers';
import type { Log } from '../../core/logger.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import { setStageWarnings, type StageWarnings } from '../../core/db/stage-results.js';
import { stageVoterPowers } from '../../core/db/votes.js';
import type { LifecycleListener } from '../lifecycle/engine.js';
import type { VotingPowerService } from './voting-power.js';

export type PowerSpikeReport = NonNullable<StageWarnings['powerSpike']>;

export interface PowerSpikeDeps {
  pool: pg.Pool;
  power: Pick<VotingPowerService, 'compute'>;
  provider: Pick<JsonRpcProvider, 'getBlock'>;
}

/** The stage's power spikes under the proposal's rules, or null when the space has no powerSpike setting. */
export async function findPowerSpikes(deps: PowerSpikeDeps, proposal: ProposalRecord, stage: number): Promise<PowerSpikeReport | null> {
  const setting = proposal.rules.settings.powerSpike;
  if (!setting) return null;
  const earlierBlock = proposal.snapshotBlock > BigInt(setting.lookbackBlocks) ? proposal.snapshotBlock - BigInt(setting.lookbackBlocks) : 0n;
  const report: PowerSpikeReport = { multiple: setting.multiple, lookbackBlocks: setting.lookbackBlocks, earlierBlock: earlierBlock.toString(), voters: [] };
  const voters = await stageVoterPowers(deps.pool, proposal.id, stage);
  if (voters.length === 0) return report;
  const block = await deps.provider.getBlock(Number(earlierBlock));
  if (!block) throw new Error(`the node returned no block ${earlierBlock}`);
  const earlier = await deps.power.compute(
    { spaceId: proposal.spaceId, snapshotBlock: earlierBlock, snapshotTime: BigInt(block.timestamp), strategies: proposal.rules.settings.strategies },
    voters.map((v) => v.voter),
  );
  const hundredths = BigInt(Math.round(setting.multiple * 100));
  voters.forEach((v, i) => {
    const now = BigInt(v.power);
    const then = earlier[i]!.total;
    if (now > 0n && now * 100n > then * hundredths) report.voters.push({ address: v.voter, power: v.power, earlierPower: then.toString() });
  });
  return report;
}

/** A stage closed (temperature or consensus left, with the stage in the transition's detail). */
function closedStage(from: string, detail: Record<string, unknown> | null | undefined): number | null {
  if (from !== 'temperature' && from !== 'consensus') return null;
  const stage = detail?.stage;
  return stage === 1 || stage === 2 ? stage : null;
}

export function powerSpikeListener(
  deps: PowerSpikeDeps & { logger: Log; notify(proposal: ProposalRecord, stage: number, report: PowerSpikeReport): Promise<void> },
): LifecycleListener {
  return {
    async onTransitions(proposal, transitions) {
      if (!proposal.rules.settings.powerSpike) return;
      for (const t of transitions) {
        const stage = closedStage(t.from, t.detail);
        if (!stage) continue;
        const report = await findPowerSpikes(deps, proposal, stage);
        if (!report) continue;
        await setStageWarnings(deps.pool, proposal.id, stage, { powerSpike: report });
        if (report.voters.length === 0) continue;
        deps.logger.warn({ proposalId: proposal.id, stage, voters: report.voters.length }, 'power spike: voters whose power grew sharply before the snapshot');
        await deps.notify(proposal, stage, report);
      }
    },
  };
}
