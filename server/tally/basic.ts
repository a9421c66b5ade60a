/**
 * Basic voting: single-choice over the fixed choices For, Against, Abstain (BASIC_CHOICES).
 * Abstain is counted like any choice here; it only differs when the outcome is decided, where it
 * counts toward quorum but not toward the For/Against share (see outcome.ts).
 */
import { countSingleChoiceVote } from './single-choice.js';
import type { VoteCounter } from './score-table.js';

export const BASIC_FOR = 1;
export const BASIC_AGAINST = 2;
export const BASIC_ABSTAIN = 3;

export const countBasicVote: VoteCounter = countSingleChoiceVote;
