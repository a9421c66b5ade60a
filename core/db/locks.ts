/**
 * The lock protocol: every advisory lock the server takes, one namespace each (the second argument of
 * hashtextextended), so two kinds of lock never collide and each is taken the same way everywhere.
 *
 * | namespace | key                         | taken by                                                         |
 * |-----------|-----------------------------|------------------------------------------------------------------|
 * | 0         | proposal id                 | votes (shared: votes/vote-writer.ts), stage closes, cancellations and advances (exclusive) |
 * | 1         | `space/author`              | proposal creation: one author's creations in a space, one at a time (the active-proposal limit) |
 * | 2         | `log`                       | every append to the message log (core/log/append.ts): one order of commits for all instances |
 * | 7         | `discord-webhook:channelId` | the notification worker creating a channel's webhook once          |
 * | 11        | `space/subscriber`          | Subscribe and Unsubscribe messages: one signer's email subscription in a space, one change at a time |
 * | 20        | `delegator/space`           | Delegate and Undelegate: one signer's messages in one scope, one at a time (newer replaces older) |
 * | 21        | `delegations`               | Delegate and Undelegate (shared), resolving a proposal's delegation snapshot (exclusive) |
 *
 * Per-proposal locks: votes take the shared lock, stage closes and cancellations the exclusive one:
 * a close waits for in-flight votes to commit, and every later vote sees the new state, so no
 * acknowledged vote can miss the final tally. Advisory locks write nothing to the proposal row,
 * unlike SELECT ... FOR SHARE. All are transaction-scoped (released at COMMIT or ROLLBACK).
 *
 * Delegation: a proposal's snapshot is resolved under the exclusive `delegations` lock, and every
 * delegation message is written under the shared one, after checking that no proposal created since
 * it was received has been resolved: so no message received before a proposal was created can commit
 * after that proposal's snapshot was read (server/delegations/).
 *
 * The log lock is always the last lock a transaction takes (after its proposal or author lock and
 * its row writes), and nothing waits for another lock while holding it, so it adds no lock cycle.
 */
import type { Queryable } from './transaction.js';

const NAMESPACE = { proposal: 0, author: 1, log: 2, discordWebhook: 7, subscriber: 11, delegationScope: 20, delegations: 21 } as const;
const PROPOSAL_ID_PATTERN = /^0x[0-9a-f]{64}$/;

/**
 * The shared proposal lock as SQL text with the id inlined, for the vote writer's one-round-trip
 * transaction (a simple-protocol query has no parameters). The id is checked to be 0x + 64 lowercase
 * hex before it is inlined.
 */
export function proposalSharedLockSql(proposalId: string): string {
  if (!PROPOSAL_ID_PATTERN.test(proposalId)) throw new Error(`proposal lock: unexpected proposal id ${proposalId}`);
  return `pg_advisory_xact_lock_shared(hashtextextended('${proposalId}', ${NAMESPACE.proposal}))`;
}

export async function lockProposalShared(client: Queryable, proposalId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, ${NAMESPACE.proposal}))`, [proposalId]);
}

export async function lockProposalExclusive(client: Queryable, proposalId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, ${NAMESPACE.proposal}))`, [proposalId]);
}

/** Serialises one author's proposal creations in a space. */
export async function lockAuthorInSpace(client: Queryable, spaceId: string, author: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, ${NAMESPACE.author}))`, [`${spaceId}/${author}`]);
}

/** Serialises the creation of one Discord channel's webhook. */
export async function lockDiscordWebhook(client: Queryable, channelId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, ${NAMESPACE.discordWebhook}))`, [`discord-webhook:${channelId}`]);
}

/** Serialises one signer's delegation messages in one scope (a space id, or "" for every space). */
export async function lockDelegationScope(client: Queryable, delegator: string, spaceId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, ${NAMESPACE.delegationScope}))`, [`${delegator}/${spaceId}`]);
}

/** Taken by every Delegate and Undelegate write (shared) and by a snapshot resolution (exclusive). */
export async function lockDelegations(client: Queryable, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await client.query(`SELECT ${fn}(hashtextextended('delegations', ${NAMESPACE.delegations}))`);
}

/** Serialises one signer's Subscribe and Unsubscribe messages in a space (at most one live subscription). */
export async function lockSubscriber(client: Queryable, spaceId: string, subscriber: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, ${NAMESPACE.subscriber}))`, [`${spaceId}/${subscriber}`]);
}

/**
 * The log's append lock as SQL text, for a simple-protocol query. Held from the read of the log's
 * frontier to COMMIT, so appends (of every instance) are serialised in commit order.
 */
export function logAppendLockSql(): string {
  return `pg_advisory_xact_lock(hashtextextended('log', ${NAMESPACE.log}))`;
}
