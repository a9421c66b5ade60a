/**
 * The spaces table and its history, space_changes (written only together with the space, by the
 * Space message handler, so both live here).
 */
import type { SpaceSettings } from '../spaces/settings.js';
import type { Queryable } from './transaction.js';

export interface SpaceRecord {
  id: string;
  parentId: string | null;
  settings: SpaceSettings;
  createdAt: Date;
  updatedAt: Date;
}

export interface SpaceChangeRecord {
  messageId: string;
  actor: string;
  at: Date;
  previous: SpaceSettings | null;
  settings: SpaceSettings;
}

const SELECT = 'SELECT id, parent_id AS "parentId", settings, created_at AS "createdAt", updated_at AS "updatedAt" FROM spaces';

/** The space's current settings, or undefined when it does not exist. */
export async function findSpaceSettings(db: Queryable, id: string): Promise<SpaceSettings | undefined> {
  const { rows } = await db.query<{ settings: SpaceSettings }>('SELECT settings FROM spaces WHERE id = $1', [id]);
  return rows[0]?.settings;
}

/** Settings, the last applied signed timestamp and the parent; `forUpdate` locks the row until the transaction ends. */
export async function loadSpaceState(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<{ settings: SpaceSettings; last_timestamp: string; parent_id: string | null } | undefined> {
  const { rows } = await db.query<{ settings: SpaceSettings; last_timestamp: string; parent_id: string | null }>(
    `SELECT settings, last_timestamp::text, parent_id FROM spaces WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** Creates the space (created) or replaces its settings, and appends the change to its history. */
export async function writeSpaceChange(
  db: Queryable,
  change: {
    spaceId: string;
    messageId: string;
    actor: string;
    at: Date;
    timestamp: string;
    previous: SpaceSettings | null;
    settings: SpaceSettings;
    created: boolean;
  },
): Promise<void> {
  const { spaceId, settings, at, timestamp } = change;
  if (!change.created) {
    await db.query('UPDATE spaces SET settings = $2, parent_id = $3, updated_at = $4, last_timestamp = $5 WHERE id = $1', [
      spaceId,
      settings,
      settings.parent ?? null,
      at,
      timestamp,
    ]);
  } else {
    await db.query(`INSERT INTO spaces (id, parent_id, settings, created_at, updated_at, last_timestamp) VALUES ($1, $2, $3, $4, $4, $5)`, [
      spaceId,
      settings.parent ?? null,
      settings,
      at,
      timestamp,
    ]);
  }
  await db.query('INSERT INTO space_changes (space_id, message_id, actor, at, previous, settings) VALUES ($1, $2, $3, $4, $5, $6)', [
    spaceId,
    change.messageId,
    change.actor,
    at,
    change.previous,
    settings,
  ]);
}

export async function findSpace(db: Queryable, id: string): Promise<SpaceRecord | undefined> {
  const { rows } = await db.query<SpaceRecord>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0];
}

/** A page of spaces by id, optionally the children of `parentId`, after the id `after`. */
export async function listSpaces(db: Queryable, filter: { parentId?: string | undefined; after?: string | undefined; limit: number }): Promise<SpaceRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.parentId) where.push(`parent_id = $${params.push(filter.parentId)}`);
  if (filter.after) where.push(`id > $${params.push(filter.after)}`);
  const { rows } = await db.query<SpaceRecord>(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.push(filter.limit)}`,
    params,
  );
  return rows;
}

/** Every settings change of a space, oldest first (empty when the space does not exist). */
export async function listSpaceChanges(db: Queryable, spaceId: string): Promise<SpaceChangeRecord[]> {
  const { rows } = await db.query<SpaceChangeRecord>(
    'SELECT message_id AS "messageId", actor, at, previous, settings FROM space_changes WHERE space_id = $1 ORDER BY id',
    [spaceId],
  );
  return rows;
}
