/** The rules a proposal is governed by, fixed at creation: the space settings then (as its kind applies them), the kind, and the quorums. */
import type { SpaceSettings, StageSettings } from '../spaces/settings.js';
import type { ProposalKind } from './kinds.js';
import { BASIC_CHOICES, type VotingType } from '../tally/types.js';
import { STAGE_NAMES } from '../lifecycle/states.js';

export interface ProposalRules {
  /** The space's settings with the proposal's kind applied (its stages, gate and late-quorum extension in place of the top-level ones). */
  settings: SpaceSettings;
  /** The kind and its definition at creation. Absent in proposals created before kinds existed: they ran under "default". */
  kind?: ProposalKind;
  /** Required total power per stage (decimal strings), resolved at creation from the quorum settings. */
  quorum: { temperature: string; consensus: string };
}

export interface StageVoting {
  votingType: VotingType;
  choices: string[];
  stageSettings: StageSettings;
}

/** The voting type and choices of one stage: the space may pin a type; otherwise the proposal's applies. */
export function stageVoting(proposal: { votingType: VotingType; choices: string[]; rules: ProposalRules }, stage: number): StageVoting {
  const name = STAGE_NAMES[stage];
  if (!name) throw new RangeError(`no stage ${stage}`);
  const stageSettings = proposal.rules.settings[name];
  const votingType = (stageSettings.votingType === 'proposal' ? proposal.votingType : stageSettings.votingType) as VotingType;
  const choices = votingType === 'basic' ? [...BASIC_CHOICES] : proposal.choices;
  return { votingType, choices, stageSettings };
}
