/**
 * Space messages: the first one for an id creates the space, later ones replace its settings.
 * Only admins may change a space; a sub-space is created by an admin of its parent.
 * Every change is kept in space_changes with who made it and when.
 */
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../core/db/transaction.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { loadSpaceState, writeSpaceChange } from '../../core/db/spaces.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';
import { parseSpaceSettings, SPACE_ID_PATTERN } from './settings.js';

const spaceIdPattern = new RegExp(SPACE_ID_PATTERN);

async function assertParentAllowed(db: Queryable, spaceId: string, parentId: string, signer: string): Promise<void> {
  // Walk up the parent chain: the parent must exist, and the new link must not create a cycle.
  let cursor: string | null = parentId;
  for (let depth = 0; cursor; depth++) {
    if (cursor === spaceId || depth > 16) throw new InvalidInputError('INVALID_PARENT', `space ${parentId} cannot be the parent of ${spaceId}`);
    const row = await loadSpaceState(db, cursor);
    if (!row) throw new NotFoundError('PARENT_NOT_FOUND', `parent space ${cursor} does not exist`);
    if (cursor === parentId && !row.settings.admins.includes(signer)) {
      throw new ForbiddenError('NOT_PARENT_ADMIN', `only an admin of ${parentId} may attach a sub-space to it`);
    }
    cursor = row.parent_id;
  }
}

export async function handleSpaceMessage(submission: Submission<'Space'>, deps: { pool: pg.Pool; chainId: number }): Promise<{ created: boolean }> {
  const { message, from } = submission;
  if (!spaceIdPattern.test(message.space)) {
    throw new InvalidInputError('INVALID_SPACE_ID', `space id must match ${SPACE_ID_PATTERN}`);
  }
  const settings = parseSpaceSettings(message.settings, deps.chainId);

  return withTransaction(deps.pool, async (client) => {
    const current = await loadSpaceState(client, message.space, true);
    if (current) {
      if (!current.settings.admins.includes(from)) throw new ForbiddenError('NOT_ADMIN', `${from} is not an admin of ${message.space}`);
      if (BigInt(message.timestamp) <= BigInt(current.last_timestamp)) {
        throw new ConflictError('STALE_MESSAGE', 'a newer settings message for this space was already applied');
      }
    } else if (!settings.admins.includes(from)) {
      throw new ForbiddenError('NOT_ADMIN', 'the signer of a new space must be one of its admins');
    }
    if (settings.parent && settings.parent !== current?.parent_id) {
      await assertParentAllowed(client, message.space, settings.parent, from);
    }

    await recordMessage(client, submission, { spaceId: message.space });
    await writeSpaceChange(client, {
      spaceId: message.space,
      messageId: submission.id,
      actor: from,
      at: submission.receivedAt,
      timestamp: String(message.timestamp),
      previous: current ? current.settings : null,
      settings,
      created: !current,
    });
    return { created: !current };
  });
}

/** The Space entry of the message registry (server/messages/registry.ts). */
export function createSpaceHandler(deps: { pool: pg.Pool; chainId: number }): MessageHandler<'Space', { created: boolean }> {
  return { type: 'Space', handle: (submission) => handleSpaceMessage(submission, deps) };
}
