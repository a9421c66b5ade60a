/**
 * The message handler registry. Each governance message type registers one handler: its parser
 * (the type's own checks of the signed fields, before anything is written), its handler (which
 * writes the message and its effects in one transaction and resolves after COMMIT) and its
 * after-commit hooks (what other parts of the server do once it is durable: lifecycle timers,
 * cache invalidation, preloading voting power).
 *
 * MessageService (message-service.ts) knows only this registry: it checks the envelope, the
 * timestamp, the replay log and the signature, then dispatches here. So messages/ imports none of
 * the folders that handle messages (votes/, proposals/, spaces/), and a new message type (e.g. a
 * delegation) is a new handler file plus one register() call in the composition root
 * (server/plugins/governance.ts), not an edit of a switch.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { GovernanceType } from '../eip712/types.js';
import type { Submission } from './submission.js';

/** Runs after the handler's transaction committed; a hook that throws fails the request (it is awaited, as before). */
export type AfterCommitHook<R, P extends GovernanceType = GovernanceType> = (result: R, submission: Submission<P>) => void | Promise<void>;

export interface MessageHandler<P extends GovernanceType = GovernanceType, R = unknown> {
  readonly type: P;
  /** The type's own checks of the signed message, before the handler runs (optional: most checks need the database). */
  parse?(submission: Submission<P>): void;
  /** Writes the message and its effects in one transaction; resolves after COMMIT. */
  handle(submission: Submission<P>): Promise<R>;
}

interface Entry {
  handler: MessageHandler<GovernanceType, unknown>;
  hooks: AfterCommitHook<unknown, GovernanceType>[];
}

export class MessageRegistry {
  private readonly entries = new Map<GovernanceType, Entry>();

  register<P extends GovernanceType, R>(handler: MessageHandler<P, R>): this {
    if (this.entries.has(handler.type)) throw new Error(`message registry: ${handler.type} already has a handler`);
    this.entries.set(handler.type, { handler: handler as unknown as MessageHandler<GovernanceType, unknown>, hooks: [] });
    return this;
  }

  /** Adds an after-commit hook to a registered type; hooks run in the order they were added. */
  afterCommit<P extends GovernanceType, R>(handler: MessageHandler<P, R>, hook: AfterCommitHook<R, P>): this {
    const entry = this.entries.get(handler.type);
    if (!entry || entry.handler !== (handler as unknown)) throw new Error(`message registry: ${handler.type} is not registered with this handler`);
    entry.hooks.push(hook as unknown as AfterCommitHook<unknown, GovernanceType>);
    return this;
  }

  has(type: GovernanceType): boolean {
    return this.entries.has(type);
  }

  get types(): GovernanceType[] {
    return [...this.entries.keys()];
  }

  async dispatch(submission: Submission): Promise<void> {
    const entry = this.entries.get(submission.primaryType);
    if (!entry) {
      throw new InvalidInputError('UNKNOWN_TYPE', `${submission.primaryType} messages are not handled by this server`, {
        details: { path: '/data/primaryType' },
      });
    }
    entry.handler.parse?.(submission);
    const result = await entry.handler.handle(submission);
    for (const hook of entry.hooks) await hook(result, submission);
  }
}
