/**
 * The vote path's early trigger of the late-quorum extension (server/lifecycle/late-quorum.ts):
 * once this instance's live tally of a stage holds the quorum, it asks the lifecycle engine, once,
 * to decide from the committed votes whether the stage's end moves, so members see the new end at
 * once instead of at the old end. Nothing depends on this trigger for correctness: a live tally that
 * misses another instance's votes only delays the decision, which the engine makes anyway before it
 * closes the stage.
 */
import type { Log } from '../../core/logger.js';
import { STAGE_NAMES } from '../../core/lifecycle/states.js';
import type { LateQuorumVerdict } from '../lifecycle/late-quorum.js';
import type { LiveTally } from './live-tally.js';
import type { VoteCommitHook } from './vote-handler.js';

const MAX_TRACKED = 10_000;

export function lateQuorumHook(deps: {
  liveTally: Pick<LiveTally, 'countedPower'>;
  check: (proposalId: string, stage: number) => Promise<LateQuorumVerdict>;
  logger: Log;
}): VoteCommitHook {
  /** Stages asked about (or being asked): each is decided once per instance unless quorum turned out not reached. */
  const asked = new Set<string>();
  return (proposal, stage) => {
    const extension = proposal.rules.settings.lateQuorumExtension ?? 0;
    if (extension <= 0) return;
    const key = `${proposal.id}:${stage}`;
    if (asked.has(key)) return;
    const counted = deps.liveTally.countedPower(proposal.id, stage);
    const stageName = STAGE_NAMES[stage];
    if (counted === undefined || !stageName || counted < BigInt(proposal.rules.quorum[stageName])) return;
    if (asked.size >= MAX_TRACKED) asked.clear();
    asked.add(key);
    deps
      .check(proposal.id, stage)
      .then((verdict) => {
        if (verdict === 'not-reached') asked.delete(key);
      })
      .catch((error: unknown) => {
        asked.delete(key);
        deps.logger.warn({ err: error, proposalId: proposal.id, stage }, 'late-quorum check failed; the stage close checks again');
      });
  };
}
