/** Database records → JSON for the API: bigints and decimals as decimal strings, dates as ISO strings. */
import type { ExecutionRow } from '../../core/executions/repository.js';
import type { SignedMessageRow } from '../../core/db/signed-messages.js';
import type { StageResultRecord } from '../../core/db/stage-results.js';
import type { TransitionRow } from '../../core/db/proposal-transitions.js';
import { InvalidInputError } from '../../core/errors.js';
import { findTextProblem } from '../http/input-guard.js';

type DecimalLike = { toFixed(): string };

export const dec = (value: DecimalLike | bigint | string): string =>
  typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : value.toFixed();

/**
 * What was signed, and only that: { address, sig, data }. The stored row keeps the request body as
 * received (its reader has put back the domain and types, core/db/envelope-parts.ts); an executable
 * proposal's payload (bound to the message by the signed payloadHash, but not itself signed) is
 * published beside it as `payload`, never inside the signed envelope.
 */
function signedParts(type: string, stored: unknown): { envelope: unknown; payload: unknown } {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { envelope: stored, payload: null };
  const { address, sig, data, payload } = stored as Record<string, unknown>;
  return { envelope: { address, sig, data }, payload: type === 'Proposal' && payload !== undefined ? payload : null };
}

export function signedMessageJson(m: SignedMessageRow) {
  const { envelope, payload } = signedParts(m.type, m.envelope);
  return {
    id: m.id,
    type: m.type,
    from: m.from,
    spaceId: m.spaceId,
    proposalId: m.proposalId,
    timestamp: m.timestamp.toString(),
    envelope,
    payload,
    signature: m.signature,
    sigKind: m.sigKind,
    sigBlock: m.sigBlock === null ? null : m.sigBlock.toString(),
    legacyReceipt: m.legacyReceipt,
    receivedAt: m.receivedAt.toISOString(),
  };
}

export function stageResultJson(r: StageResultRecord) {
  return {
    stage: r.stage,
    votingType: r.votingType,
    choices: r.choices as string[],
    scores: r.scores as string[],
    scoresByStrategy: r.scoresByStrategy as string[][],
    totalPower: dec(r.totalPower),
    voterCount: r.voterCount,
    quorum: dec(r.quorum),
    quorumReached: r.quorumReached,
    passed: r.passed,
    winningChoice: r.winningChoice,
    outcome: r.outcome,
    computedAt: r.computedAt.toISOString(),
    logTreeSize: r.logTreeSize,
    signature: r.signature,
    warnings: r.warnings,
  };
}

export function transitionJson(t: TransitionRow) {
  return { from: t.fromState, to: t.toState, at: t.at.toISOString(), cause: t.cause, messageId: t.messageId, detail: t.detail };
}

export function executionJson(e: ExecutionRow) {
  return {
    status: e.status,
    operationId: e.operationId,
    scheduleTx: e.scheduleTx,
    eta: e.eta?.toISOString() ?? null,
    executeTx: e.executeTx,
    executeBlock: e.executeBlock === null ? null : e.executeBlock.toString(),
    reason: e.reason,
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Keyset pagination cursors: opaque to clients. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * The cursor's parts, null when none was given; an undecodable cursor is a 400 INVALID_CURSOR, never
 * silently the first page. Every cursor we issue is [string] or [integer, string].
 */
export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (!cursor) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const wellFormed =
    Array.isArray(parts) &&
    ((parts.length === 1 && typeof parts[0] === 'string') || (parts.length === 2 && Number.isSafeInteger(parts[0]) && typeof parts[1] === 'string')) &&
    findTextProblem(parts) === null;
  if (!wellFormed) {
    throw new InvalidInputError('INVALID_CURSOR', 'cursor is not a cursor this server issued: pass nextCursor from the previous page as it is', {
      details: { path: 'query/cursor' },
    });
  }
  return parts as (string | number)[];
}
