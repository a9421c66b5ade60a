/**
 * The end of an executable proposal's lifecycle, decided on chain: after `queued` the relayer records
 * what the chain did (core/executions/repository.ts), and the proposal follows:
 *
 *   queued ──▶ executed    the operation was executed (by the relayer or anyone else)
 *          ──▶ cancelled   the operation (or the Governor proposal) was cancelled on chain
 *          ──▶ defeated    the Governor's on-chain vote defeated it
 *          ──▶ expired     the Governor reports it expired
 *
 * Each is a recorded lifecycle transition with cause `chain` and the chain facts as detail, made under
 * the proposal's exclusive lock and only from `queued` (so the worker and the reconciler may both
 * report the same fact: one applies it), and published on the events channel like every other
 * transition, so WebSocket subscribers see it.
 */
import type pg from 'pg';
import type { Log } from '../logger.js';
import { withTransaction } from '../db/transaction.js';
import { lockProposalExclusive } from '../db/locks.js';
import type { EventPublisher, LifecycleEvent } from '../realtime/events.js';
import { applyTransition } from './state-machine.js';

export type ChainOutcome = 'executed' | 'cancelled' | 'defeated' | 'expired';

export async function recordChainOutcome(
  deps: { pool: pg.Pool; events: EventPublisher; logger: Log },
  proposalId: string,
  to: ChainOutcome,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const at = new Date();
  const spaceId = await withTransaction(deps.pool, async (client) => {
    await lockProposalExclusive(client, proposalId);
    const { rows } = await client.query<{ spaceId: string }>(`SELECT space_id AS "spaceId" FROM proposals WHERE id = $1 AND state = 'queued'`, [proposalId]);
    if (!rows[0]) return null;
    const applied = await applyTransition(client, { proposalId, from: 'queued', to, at, cause: 'chain', detail });
    return applied ? rows[0].spaceId : null;
  });
  if (!spaceId) return false;
  deps.logger.info({ proposalId, from: 'queued', to, cause: 'chain', ...detail }, 'proposal transition');
  const event: LifecycleEvent = { kind: 'lifecycle', proposalId, spaceId, from: 'queued', to, at: at.toISOString(), cause: 'chain' };
  await deps.events.publish(event).catch((error: unknown) => deps.logger.warn({ err: error, proposalId }, 'could not publish the lifecycle event'));
  return true;
}
