/** Database records → JSON for the API: bigints and decimals as decimal strings, dates as ISO strings. */
import type { ExecutionRow } from '../../core/executions/repository.js';
import type { SignedMessageRow } from '../../core/db/signed-messages.js';
import type { StageResultRecord } from '../../core/db/stage-results.js';
import type { TransitionRow } from '../../core/db/proposal-transitions.js';

type DecimalLike = { toFixed(): string };

export const dec = (value: DecimalLike | bigint | string): string => (typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : value.toFixed());

export function signedMessageJson(m: SignedMessageRow) {
  return {
    id: m.id,
    type: m.type,
    from: m.from,
    spaceId: m.spaceId,
    proposalId: m.proposalId,
    timestamp: m.timestamp.toString(),
    envelope: m.envelope,
    signature: m.signature,
    sigKind: m.sigKind,
    sigBlock: m.sigBlock === null ? null : m.sigBlock.toString(),
    receipt: m.receipt,
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

export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(parts) ? (parts as (string | number)[]) : null;
  } catch {
    return null;
  }
}
