/**
 * The CancelProposal and AdvanceProposal entries of the message registry
 * (server/messages/registry.ts). The rules themselves are in proposal-actions.ts; each handler
 * answers the transition it committed, for the after-commit hooks (lifecycle, vote cache).
 */
import type pg from 'pg';
import type { MessageHandler } from '../messages/registry.js';
import type { TransitionRecord } from '../../core/lifecycle/state-machine.js';
import { handleAdvanceMessage, handleCancelMessage } from './proposal-actions.js';

export interface ProposalActionResult {
  proposalId: string;
  transition: TransitionRecord;
}

export function createCancelHandler(pool: pg.Pool): MessageHandler<'CancelProposal', ProposalActionResult> {
  return { type: 'CancelProposal', handle: (submission) => handleCancelMessage(submission, pool) };
}

export function createAdvanceHandler(pool: pg.Pool): MessageHandler<'AdvanceProposal', ProposalActionResult> {
  return { type: 'AdvanceProposal', handle: (submission) => handleAdvanceMessage(submission, pool) };
}
