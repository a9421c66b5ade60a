/**
 * Payload pinning, checked before schedule and before execute (Tornado Cash 2023: a proposal's target
 * was redeployed with different code between the vote and the execution).
 * - The payload the relayer would send hashes to the payloadHash the author signed.
 * - Every target's code hash equals the one recorded when the proposal was created.
 * A mismatch is permanent: the relayer refuses, and the execution is marked failed with the reason.
 */
import { getAddress } from 'ethers';
import type { ProposalRecord } from '../proposals/repository.js';
import { hashPayload } from '../proposals/payload.js';
import type { ChainReader } from './chain.js';
import { PermanentError } from './errors.js';

export interface PinCheck {
  target: string;
  recorded: string | null;
  current: string;
  ok: boolean;
}

/** Compares without throwing (for dry runs and status). */
export async function inspectPins(proposal: Pick<ProposalRecord, 'payload' | 'targetCodeHashes'>, chain: ChainReader): Promise<PinCheck[]> {
  const targets = [...new Set((proposal.payload?.targets ?? []).map((t) => getAddress(t)))];
  const current = await chain.codeHashes(targets);
  return targets.map((target, i) => {
    const recorded = proposal.targetCodeHashes.find((h) => getAddress(h.target) === target)?.codeHash.toLowerCase() ?? null;
    return { target, recorded, current: current[i]!, ok: recorded !== null && recorded === current[i] };
  });
}

export async function assertPayloadPinned(
  proposal: Pick<ProposalRecord, 'id' | 'payload' | 'payloadHash' | 'targetCodeHashes'>,
  chain: ChainReader,
): Promise<void> {
  if (!proposal.payload) throw new PermanentError(`proposal ${proposal.id} has no payload`, 'payload-mismatch');
  const hash = hashPayload(proposal.payload);
  if (hash !== proposal.payloadHash.toLowerCase()) {
    throw new PermanentError(`the stored payload hashes to ${hash}, not the signed payloadHash ${proposal.payloadHash}`, 'payload-mismatch');
  }
  for (const check of await inspectPins(proposal, chain)) {
    if (check.recorded === null) throw new PermanentError(`no code hash was recorded for target ${check.target}`, 'payload-mismatch');
    if (!check.ok) {
      throw new PermanentError(
        `the code of target ${check.target} changed since the proposal was created (code hash ${check.recorded} → ${check.current})`,
        'code-hash-changed',
      );
    }
  }
}
