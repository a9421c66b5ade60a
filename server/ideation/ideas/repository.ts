/**
 * Ideas and their supporters. An idea is open until its author promotes it (a signed Proposal
 * that names it) or withdraws it. Support is one row per Discord user, weighted by the power of
 * the wallet linked to them when they pressed Support (a signal; promotion re-checks it).
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../../core/db/transaction.js';

export const IDEA_STATES = ['open', 'promoted', 'withdrawn'] as const;
export type IdeaState = (typeof IDEA_STATES)[number];
export const IDEA_ID_PATTERN = /^[0-9a-f]{12}$/;
export const IDEA_LIMITS = { titleMaxChars: 200, descriptionMaxChars: 3000, maxOpenPerAuthor: 5 } as const;

export interface IdeaRecord {
  id: string;
  spaceId: string;
  authorDiscordId: string;
  authorName: string;
  authorAddress: string;
  guildId: string;
  channelId: string;
  messageId: string | null;
  threadId: string | null;
  discussionUrl: string | null;
  title: string;
  description: string;
  state: IdeaState;
  proposalId: string | null;
  promotion: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface SupportRecord {
  discordUserId: string;
  address: string;
  power: bigint;
  block: bigint;
  supportedAt: Date;
}

export interface SupportSummary {
  /** Distinct wallets with power above zero among the supporters (as recorded when they pressed Support). */
  supporters: number;
  /** Sum of their recorded power (each wallet once). */
  power: bigint;
}

const COLUMNS = `id, space_id AS "spaceId", author_discord_id AS "authorDiscordId", author_name AS "authorName",
  author_address AS "authorAddress", guild_id AS "guildId", channel_id AS "channelId", message_id AS "messageId",
  thread_id AS "threadId", discussion_url AS "discussionUrl", title, description, state, proposal_id AS "proposalId",
  promotion, created_at AS "createdAt", updated_at AS "updatedAt"`;

export function newIdeaId(): string {
  return randomBytes(6).toString('hex');
}

export async function createIdea(
  db: Queryable,
  idea: Pick<IdeaRecord, 'spaceId' | 'authorDiscordId' | 'authorName' | 'authorAddress' | 'guildId' | 'channelId' | 'title' | 'description'>,
): Promise<IdeaRecord> {
  const { rows } = await db.query<IdeaRecord>(
    `INSERT INTO ideas (id, space_id, author_discord_id, author_name, author_address, guild_id, channel_id, title, description, state, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', now(), now()) RETURNING ${COLUMNS}`,
    [newIdeaId(), idea.spaceId, idea.authorDiscordId, idea.authorName, idea.authorAddress, idea.guildId, idea.channelId, idea.title, idea.description],
  );
  return rows[0]!;
}

export async function findIdea(db: Queryable, id: string, forUpdate = false): Promise<IdeaRecord | null> {
  if (!IDEA_ID_PATTERN.test(id)) return null;
  const { rows } = await db.query<IdeaRecord>(`SELECT ${COLUMNS} FROM ideas WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

/** Newest first; the cursor is the last item's [createdAt ms, id]. */
export async function listIdeas(
  db: Queryable,
  filter: { spaceId?: string | undefined; state?: IdeaState | undefined; limit: number; before?: [number, string] | null },
): Promise<IdeaRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.spaceId) where.push(`space_id = $${values.push(filter.spaceId)}`);
  if (filter.state) where.push(`state = $${values.push(filter.state)}`);
  if (filter.before) {
    const at = values.push(new Date(filter.before[0]));
    const id = values.push(filter.before[1]);
    where.push(`(created_at, id) < ($${at}, $${id})`);
  }
  const limit = values.push(filter.limit);
  const { rows } = await db.query<IdeaRecord>(
    `SELECT ${COLUMNS} FROM ideas ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${limit}`,
    values,
  );
  return rows;
}

export async function countOpenIdeas(db: Queryable, spaceId: string, authorDiscordId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ideas WHERE space_id = $1 AND author_discord_id = $2 AND state = 'open'`, [
    spaceId,
    authorDiscordId,
  ]);
  return rows[0]!.n;
}

/** Records where the idea's message (and thread) live, and the discussion link a proposal must use. */
export async function setIdeaMessage(
  db: Queryable,
  id: string,
  where: { channelId: string; messageId: string; threadId: string | null; discussionUrl: string },
): Promise<void> {
  await db.query('UPDATE ideas SET channel_id = $2, message_id = $3, thread_id = $4, discussion_url = $5, updated_at = now() WHERE id = $1', [
    id,
    where.channelId,
    where.messageId,
    where.threadId,
    where.discussionUrl,
  ]);
}

/** Withdraws an open idea; only its author may. Answers false if it was not open. */
export async function withdrawIdea(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query(`UPDATE ideas SET state = 'withdrawn', updated_at = now() WHERE id = $1 AND state = 'open'`, [id]);
  return result.rowCount === 1;
}

/** Adds or refreshes a user's support of an open idea. Answers false if the idea is not open. */
export async function upsertSupport(db: Queryable, ideaId: string, support: Omit<SupportRecord, 'supportedAt'>): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO idea_supports (idea_id, discord_user_id, address, power, block, supported_at)
     SELECT $1, $2, $3, $4::numeric, $5, now() WHERE EXISTS (SELECT 1 FROM ideas WHERE id = $1 AND state = 'open')
     ON CONFLICT (idea_id, discord_user_id) DO UPDATE
       SET address = EXCLUDED.address, power = EXCLUDED.power, block = EXCLUDED.block, supported_at = EXCLUDED.supported_at`,
    [ideaId, support.discordUserId, support.address, support.power.toString(), support.block.toString()],
  );
  return result.rowCount === 1;
}

/** Removes a user's support of an open idea. Answers false if there was none (or the idea is closed). */
export async function removeSupport(db: Queryable, ideaId: string, discordUserId: string): Promise<boolean> {
  const result = await db.query(
    `DELETE FROM idea_supports WHERE idea_id = $1 AND discord_user_id = $2 AND EXISTS (SELECT 1 FROM ideas WHERE id = $1 AND state = 'open')`,
    [ideaId, discordUserId],
  );
  return result.rowCount === 1;
}

export async function listSupports(db: Queryable, ideaId: string): Promise<SupportRecord[]> {
  const { rows } = await db.query<{ discordUserId: string; address: string; power: string; block: string; supportedAt: Date }>(
    `SELECT discord_user_id AS "discordUserId", address, power::text AS power, block::text AS block, supported_at AS "supportedAt"
       FROM idea_supports WHERE idea_id = $1 ORDER BY supported_at, discord_user_id`,
    [ideaId],
  );
  return rows.map((r) => ({ ...r, power: BigInt(r.power), block: BigInt(r.block) }));
}

export async function supportSummaries(db: Queryable, ideaIds: string[]): Promise<Map<string, SupportSummary>> {
  const { rows } = await db.query<{ idea_id: string; supporters: number; power: string }>(
    `SELECT idea_id, count(*)::int AS supporters, coalesce(sum(power), 0)::text AS power FROM (
       SELECT DISTINCT ON (idea_id, address) idea_id, address, power FROM idea_supports
        WHERE idea_id = ANY($1) ORDER BY idea_id, address, supported_at DESC
     ) s WHERE power > 0 GROUP BY idea_id`,
    [ideaIds],
  );
  const result = new Map<string, SupportSummary>(ideaIds.map((id) => [id, { supporters: 0, power: 0n }]));
  for (const row of rows) result.set(row.idea_id, { supporters: row.supporters, power: BigInt(row.power) });
  return result;
}

export async function supportSummary(db: Queryable, ideaId: string): Promise<SupportSummary> {
  return (await supportSummaries(db, [ideaId])).get(ideaId)!;
}

/** The idea's supporters with the wallet each is linked to now (an unlinked supporter is left out), in support order. */
export async function linkedSupporters(db: Queryable, ideaId: string): Promise<{ discord_user_id: string; address: string }[]> {
  const { rows } = await db.query<{ discord_user_id: string; address: string }>(
    `SELECT s.discord_user_id, l.address FROM idea_supports s JOIN discord_links l ON l.discord_user_id = s.discord_user_id
      WHERE s.idea_id = $1 ORDER BY s.supported_at`,
    [ideaId],
  );
  return rows;
}

/** An open idea becomes promoted by the proposal; false when it was no longer open. */
export async function promoteIdea(db: Queryable, ideaId: string, proposalId: string, promotion: unknown): Promise<boolean> {
  const updated = await db.query(`UPDATE ideas SET state = 'promoted', proposal_id = $2, promotion = $3, updated_at = now() WHERE id = $1 AND state = 'open'`, [
    ideaId,
    proposalId,
    JSON.stringify(promotion),
  ]);
  return updated.rowCount === 1;
}
