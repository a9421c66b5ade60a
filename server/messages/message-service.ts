/**
 * The path of every signed message: envelope and domain checks → timestamp window → replay check →
 * signature (EOA, EIP-1271, EIP-6492) → the handler for its type, which writes the message and its
 * effects in one transaction → the receipt. Nothing is acknowledged before it is committed.
 *
 * EOA votes take a faster road through the same checks: recovery runs in worker threads
 * (vote-crypto.ts), the replay check is part of the vote writer's statement, and concurrent votes
 * are written together (votes/vote-writer.ts, group commit).
 *
 * Handlers are not known here: each message type is dispatched through the registry (registry.ts),
 * which server/message-handlers.ts fills.
 *
 * The receipt is the message's place in the verifiable log (core/log/append.ts): its leaf index, the
 * signed tree head of the transaction that appended it, and its inclusion proof. The tree head is
 * signed once per transaction (a group commit of votes shares one), never once per message.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import type { Config } from '../../core/config.js';
import { AppError, InvalidInputError } from '../../core/errors.js';
import { assertCleanText } from '../http/input-guard.js';
import { dependencyError } from '../http/dependency-errors.js';
import { buildDomain, isGovernanceType } from '../eip712/types.js';
import { parseEnvelope, type ParsedEnvelope, type ParsedEnvelopeOf } from '../eip712/envelope.js';
import type { SignatureVerifier, VerifiedSignature } from '../eip712/signature.js';
import { messageSeen } from '../../core/db/signed-messages.js';
import type { EnvelopeParts } from '../../core/db/envelope-parts.js';
import type { VoteCrypto } from './vote-crypto.js';
import type { MessageRegistry } from './registry.js';
import type { ReceiptSigner } from './receipt.js';
import { duplicateError, type Receipt, type Submission } from './submission.js';

type GovernanceEnvelope = Exclude<ParsedEnvelope, ParsedEnvelopeOf<'LinkDiscord'>>;

function isGovernanceEnvelope(envelope: ParsedEnvelope): envelope is GovernanceEnvelope {
  return isGovernanceType(envelope.primaryType);
}

/** Most messages in one POST /api/messages/batch. */
export const MAX_BATCH_ITEMS = 500;
/** Items of a batch checked per event-loop turn. */
const BATCH_SLICE = 50;

export type BatchItemResult = ({ ok: true } & Receipt) | { ok: false; status: number; code: string; message: string; details?: unknown; retryable?: boolean };

export interface MessageServiceDeps {
  config: Pick<Config, 'CHAIN_ID' | 'DEPLOYMENT_SALT' | 'MESSAGE_MAX_AGE_S' | 'MESSAGE_MAX_FUTURE_S' | 'WEBHOOK_ALLOW_PRIVATE_URLS'>;
  pool: pg.Pool;
  verifier: SignatureVerifier;
  receipts: ReceiptSigner;
  /** Signer recovery of EOA votes, in worker threads. */
  voteCrypto: VoteCrypto;
  /** The handler of each message type, with its after-commit hooks. */
  handlers: MessageRegistry;
  /** The deployment's domain and canonical types, stored once: envelopes are stored naming them. */
  envelopeParts: EnvelopeParts;
  logger: Log;
}

/** The body without one top-level field (the body is a plain object: the envelope parser checked it). */
function withoutField(body: unknown, field: string): Record<string, unknown> {
  const { [field]: _omitted, ...rest } = body as Record<string, unknown>;
  return rest;
}

export class MessageService {
  readonly domain;
  /** Message ids being processed here, each with the settling of its latest submission. */
  private readonly inProgress = new Map<string, Promise<void>>();

  constructor(private readonly deps: MessageServiceDeps) {
    this.domain = buildDomain(deps.config.CHAIN_ID, deps.config.DEPLOYMENT_SALT);
  }

  /**
   * Many signed votes in one request (relays, aggregators). Every item goes through exactly the
   * checks of submit(); concurrent items are written by the vote writer in shared transactions, and
   * each item's receipt is returned only after its own write committed. Items are independent: one
   * refused item does not affect the others, and nothing is stored for a refused item.
   */
  async submitBatch(bodies: readonly unknown[]): Promise<BatchItemResult[]> {
    if (bodies.length > MAX_BATCH_ITEMS) {
      throw new InvalidInputError('BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH_ITEMS} messages (got ${bodies.length})`);
    }
    // Checked in slices with a yield between them: 500 signature checks in one tick would hold the
    // event loop for tens of milliseconds (other requests, WebSocket updates). Writes still group.
    // Each promise gets its handler at once (a rejection left unhandled across a yield would be fatal).
    const pending: Promise<PromiseSettledResult<Receipt>>[] = [];
    for (let start = 0; start < bodies.length; start += BATCH_SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const body of bodies.slice(start, start + BATCH_SLICE)) {
        pending.push(
          this.submit(body, { votesOnly: true }).then(
            (value) => ({ status: 'fulfilled', value }) as const,
            (reason: unknown) => ({ status: 'rejected', reason }) as const,
          ),
        );
      }
    }
    const settled = await Promise.all(pending);
    return settled.map((outcome) => {
      if (outcome.status === 'fulfilled') return { ok: true, ...outcome.value };
      const error = outcome.reason;
      const unavailable = dependencyError(error);
      if (unavailable) return { ok: false, status: unavailable.statusCode, ...unavailable.toJSON(), retryable: true };
      if (error instanceof AppError) return { ok: false, status: error.statusCode, ...error.toJSON() };
      this.deps.logger.warn({ err: error }, 'batch item failed');
      return { ok: false, status: 500, code: 'INTERNAL_ERROR', message: 'internal error' };
    });
  }

  async submit(body: unknown, options: { votesOnly?: boolean } = {}): Promise<Receipt> {
    const receivedAt = new Date();
    // The HTTP layer checks single messages already; batch items are checked here, one by one.
    assertCleanText('body', body);
    const envelope = parseEnvelope(body, { domain: this.domain, extraFields: ['payload', 'email'] });
    if (options.votesOnly && envelope.primaryType !== 'Vote') {
      throw new InvalidInputError('BATCH_VOTES_ONLY', `a batch holds Vote messages only; post ${envelope.primaryType} to POST /api/messages`, {
        details: { path: '/data/primaryType' },
      });
    }
    if (!isGovernanceEnvelope(envelope)) {
      throw new InvalidInputError('UNKNOWN_TYPE', `${envelope.primaryType} messages are not posted here (LinkDiscord: POST /api/discord/link)`, {
        details: { path: '/data/primaryType' },
      });
    }
    const parsed = envelope;
    // `payload` is the one unsigned field, and only an executable Proposal defines it (its hash is
    // signed as payloadHash). Anywhere else it would be stored and published beside a signature
    // that does not cover it.
    if (parsed.primaryType !== 'Proposal' && Object.hasOwn(parsed.extra, 'payload')) {
      throw new InvalidInputError('INVALID_ENVELOPE', `unexpected field payload: only a Proposal message carries a payload, not a ${parsed.primaryType}`, {
        details: { path: '/payload' },
      });
    }
    // `email` is the other unsigned field: only a Subscribe carries it (its hash is signed as
    // emailHash), and it is kept out of the stored envelope, which is published.
    if (parsed.primaryType !== 'Subscribe' && Object.hasOwn(parsed.extra, 'email')) {
      throw new InvalidInputError('INVALID_ENVELOPE', `unexpected field email: only a Subscribe message carries an email, not a ${parsed.primaryType}`, {
        details: { path: '/email' },
      });
    }
    this.checkTimestamp(Number(parsed.message.timestamp), receivedAt);

    // A copy of a message still in progress here waits for it, so the copy that arrived second is
    // the DUPLICATE: the signature checks and power lookups of the two could otherwise finish in
    // either order. The writer's replay check stays what makes it hold across instances.
    const earlier = this.inProgress.get(parsed.digest);
    const work = earlier ? earlier.then(() => this.accept(parsed, body, receivedAt)) : this.accept(parsed, body, receivedAt);
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.inProgress.set(parsed.digest, settled);
    try {
      return await work;
    } finally {
      if (this.inProgress.get(parsed.digest) === settled) this.inProgress.delete(parsed.digest);
    }
  }

  private async accept(parsed: GovernanceEnvelope, body: unknown, receivedAt: Date): Promise<Receipt> {
    let sig: VerifiedSignature;
    if (parsed.primaryType === 'Vote' && parsed.signatureBytes.length === 65) {
      // EOA votes (the common case): the vote writer checks the replay log first in its own
      // statement (DUPLICATE before any other refusal), so the separate replay query is skipped.
      // Anything else (a contract wallet's signature) takes the general path.
      const checked = await this.deps.voteCrypto.run(parsed.digestBytes, parsed.signatureBytes);
      sig = checked.signer === parsed.from.toLowerCase() ? { kind: 'eoa', block: null } : await this.checkReplayAndSignature(parsed);
    } else {
      sig = await this.checkReplayAndSignature(parsed);
    }
    const submission: Submission = {
      primaryType: parsed.primaryType,
      message: parsed.message,
      from: parsed.from,
      id: parsed.digest,
      signature: parsed.signature,
      envelope: this.deps.envelopeParts.compact(parsed.primaryType === 'Subscribe' ? withoutField(body, 'email') : (body as Record<string, unknown>)),
      unsigned: parsed.extra,
      receivedAt,
      sigKind: sig.kind,
      sigBlock: sig.block,
      signDigest: this.deps.receipts.signDigest,
    } as Submission;

    await this.deps.handlers.dispatch(submission);
    // Every handler stores its message through recordMessage or the vote writer, which append it to the log.
    if (!submission.logReceipt) throw new Error(`${submission.primaryType} ${submission.id} was committed without a log entry`);
    return { id: submission.id, type: submission.primaryType, receivedAt: receivedAt.toISOString(), receipt: submission.logReceipt };
  }

  private async checkReplayAndSignature(parsed: GovernanceEnvelope): Promise<VerifiedSignature> {
    // Cheap replay check before the (possibly RPC-bound) signature check; the primary key on
    // signed_messages is what actually guarantees it.
    if (await messageSeen(this.deps.pool, parsed.digest)) throw duplicateError(parsed.digest);
    return this.deps.verifier.verify(parsed.from, parsed.digest, parsed.signature);
  }

  private checkTimestamp(timestamp: number, receivedAt: Date): void {
    const now = Math.floor(receivedAt.getTime() / 1000);
    const { MESSAGE_MAX_AGE_S: maxAge, MESSAGE_MAX_FUTURE_S: maxFuture } = this.deps.config;
    if (timestamp < now - maxAge || timestamp > now + maxFuture) {
      throw new InvalidInputError(
        'TIMESTAMP_OUT_OF_WINDOW',
        `timestamp ${timestamp} is outside the accepted window [now - ${maxAge} s, now + ${maxFuture} s] (now is ${now})`,
        { details: { timestamp, now, maxAge, maxFuture } },
      );
    }
  }
}
