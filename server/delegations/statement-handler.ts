/**
 * DelegateStatement messages: a delegate's profile in one space (statement text and links), shown
 * with the delegate in the directory. A newer signed timestamp replaces the stored one; the text is
 * public (it is published with the signed message), so links must be plain http(s) URLs.
 */
import type pg from 'pg';
import { withTransaction } from '../../core/db/transaction.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { findSpaceSettings } from '../../core/db/spaces.js';
import { findDelegateStatement, upsertDelegateStatement } from '../../core/db/delegate-statements.js';
import { codePointCount } from '../http/text-length.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';

export const MAX_STATEMENT_CHARS = 5000;
export const MAX_STATEMENT_LINKS = 5;
export const MAX_LINK_LENGTH = 512;
const LINK_PATTERN = /^https?:\/\/[^\s/?#]+[^\s]*$/;

export function checkStatement(message: Submission<'DelegateStatement'>['message']): void {
  if (message.statement.length > MAX_STATEMENT_CHARS && codePointCount(message.statement, MAX_STATEMENT_CHARS + 1) > MAX_STATEMENT_CHARS) {
    throw new InvalidInputError('STATEMENT_TOO_LONG', `statement must be at most ${MAX_STATEMENT_CHARS} characters`, {
      details: { path: '/message/statement' },
    });
  }
  if (message.links.length > MAX_STATEMENT_LINKS) {
    throw new InvalidInputError('TOO_MANY_LINKS', `links holds at most ${MAX_STATEMENT_LINKS} URLs (got ${message.links.length})`, {
      details: { path: '/message/links' },
    });
  }
  message.links.forEach((link, i) => {
    if (link.length > MAX_LINK_LENGTH || !LINK_PATTERN.test(link)) {
      throw new InvalidInputError('INVALID_LINK', `links[${i}] must be an http(s) URL of at most ${MAX_LINK_LENGTH} characters`, {
        details: { path: `/message/links/${i}` },
      });
    }
  });
}

export async function handleDelegateStatement(submission: Submission<'DelegateStatement'>, pool: pg.Pool): Promise<void> {
  const { message, from } = submission;
  checkStatement(message);
  await withTransaction(pool, async (client) => {
    if (!(await findSpaceSettings(client, message.space))) {
      throw new NotFoundError('SPACE_NOT_FOUND', `space ${message.space} does not exist`, { details: { path: '/message/space' } });
    }
    const current = await findDelegateStatement(client, message.space, from, true);
    const stale = () =>
      new ConflictError('STALE_MESSAGE', 'a statement of this delegate in this space with the same or a newer timestamp was already applied', {
        details: { path: '/message/timestamp' },
      });
    if (current && BigInt(message.timestamp) <= current.timestamp) throw stale();
    await recordMessage(client, submission, { spaceId: message.space });
    const written = await upsertDelegateStatement(client, {
      spaceId: message.space,
      delegate: from,
      messageId: submission.id,
      statement: message.statement,
      links: message.links,
      timestamp: BigInt(message.timestamp),
      updatedAt: submission.receivedAt,
    });
    // A first statement racing another first statement: the newer one wins, the other is refused (rolled back).
    if (!written) throw stale();
  });
}

/** The DelegateStatement entry of the message registry. */
export function createStatementHandler(pool: pg.Pool): MessageHandler<'DelegateStatement', void> {
  return {
    type: 'DelegateStatement',
    parse: (submission) => checkStatement(submission.message),
    handle: (submission) => handleDelegateStatement(submission, pool),
  };
}
