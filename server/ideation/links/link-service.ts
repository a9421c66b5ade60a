/**
 * Wallet links: a Discord user proves control of a wallet by signing an EIP-712 LinkDiscord
 * message (EOA, EIP-1271 or EIP-6492, checked exactly as votes are).
 *
 * Links are global, not per space: one Discord user has at most one wallet and one wallet at most
 * one Discord user, across every space of the deployment. A new link replaces the user's old one,
 * and a wallet linked again by another Discord user moves to that user (its owner signed for it),
 * so one wallet's power can never back an idea twice through two Discord accounts.
 *
 * /link issues a one-time token (the message's nonce) stored in Redis with a short TTL; it is
 * consumed atomically when a valid signature arrives, so a signed link cannot be replayed.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { withTransaction, isUniqueViolation } from '../../../core/db/transaction.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../core/errors.js';
import { parseEnvelope } from '../../eip712/envelope.js';
import type { SignatureVerifier } from '../../eip712/signature.js';
import { typesFor, type Eip712Domain, type LinkDiscordMessage } from '../../eip712/types.js';
import type { Queryable } from '../../../core/db/transaction.js';

export const SNOWFLAKE = /^[0-9]{5,25}$/;
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

export interface LinkRequest {
  discordUserId: string;
  username: string;
  nonce: string;
  /** Unix seconds: the token and the signature are refused after this. */
  expiry: number;
  /** The /link interaction, so the ephemeral reply can be edited once the link is made. */
  applicationId?: string;
  interactionToken?: string;
}

export interface LinkResult {
  discordUserId: string;
  address: string;
  /** The user's previous wallet, if this replaced one. */
  previousAddress: string | null;
  /** The Discord user this wallet was linked to before, if it moved. */
  movedFromDiscordUserId: string | null;
  request: LinkRequest;
}

export interface LinkServiceDeps {
  pool: pg.Pool;
  redis: Redis;
  redisPrefix: string;
  verifier: SignatureVerifier;
  domain: Eip712Domain;
  publicUrl: string;
  ttlSeconds?: number;
}

export class LinkService {
  readonly ttlSeconds: number;

  constructor(private readonly deps: LinkServiceDeps) {
    this.ttlSeconds = deps.ttlSeconds ?? 600;
  }

  private key(nonce: string): string {
    return `${this.deps.redisPrefix}:discord:link:${nonce}`;
  }

  /** A one-time link URL for a Discord user. */
  async createRequest(input: Omit<LinkRequest, 'nonce' | 'expiry'>): Promise<{ url: string; request: LinkRequest }> {
    const request: LinkRequest = { ...input, nonce: randomBytes(24).toString('base64url'), expiry: Math.floor(Date.now() / 1000) + this.ttlSeconds };
    await this.deps.redis.set(this.key(request.nonce), JSON.stringify(request), 'EX', this.ttlSeconds);
    return { url: `${this.deps.publicUrl}/discord/link?token=${request.nonce}`, request };
  }

  async getRequest(nonce: string): Promise<LinkRequest | null> {
    if (!NONCE.test(nonce)) return null;
    const raw = await this.deps.redis.get(this.key(nonce));
    return raw ? (JSON.parse(raw) as LinkRequest) : null;
  }

  /** What the link page asks the wallet to sign (from is filled in by the page). */
  typedData(request: LinkRequest) {
    return {
      domain: this.deps.domain,
      types: typesFor('LinkDiscord'),
      primaryType: 'LinkDiscord' as const,
      message: { discordUserId: request.discordUserId, nonce: request.nonce, expiry: request.expiry },
    };
  }

  /** Verifies a signed LinkDiscord envelope, consumes its token and stores the link. */
  async complete(body: unknown): Promise<LinkResult> {
    const parsed = parseEnvelope(body, { domain: this.deps.domain });
    if (parsed.primaryType !== 'LinkDiscord') {
      throw new InvalidInputError('UNKNOWN_TYPE', 'this endpoint takes LinkDiscord messages only', { details: { path: '/data/primaryType' } });
    }
    const message: LinkDiscordMessage = parsed.message;
    if (!SNOWFLAKE.test(message.discordUserId))
      throw new InvalidInputError('INVALID_MESSAGE', 'discordUserId must be a Discord id', { details: { path: '/message/discordUserId' } });
    if (!NONCE.test(message.nonce)) throw new InvalidInputError('INVALID_MESSAGE', 'nonce is not a link token', { details: { path: '/message/nonce' } });
    if (message.expiry < Math.floor(Date.now() / 1000)) throw new InvalidInputError('LINK_EXPIRED', 'this link request has expired: run /link again');

    const request = await this.getRequest(message.nonce);
    if (!request) throw new NotFoundError('LINK_REQUEST_NOT_FOUND', 'unknown, used or expired link token: run /link again');
    if (request.discordUserId !== message.discordUserId || request.expiry !== message.expiry) {
      throw new InvalidInputError('LINK_MISMATCH', 'the signed discordUserId and expiry must be those of the link request');
    }

    const sig = await this.deps.verifier.verify(parsed.from, parsed.digest, parsed.signature);
    // One use only: whoever deletes the token first links; a concurrent second submission fails.
    const consumed = await this.deps.redis.getdel(this.key(message.nonce));
    if (!consumed) throw new ConflictError('LINK_REQUEST_USED', 'this link token was just used');

    const address = parsed.from;
    try {
      return await withTransaction(this.deps.pool, async (client) => {
        const previous = await client.query<{ address: string }>('SELECT address FROM discord_links WHERE discord_user_id = $1 FOR UPDATE', [
          request.discordUserId,
        ]);
        const moved = await client.query<{ discord_user_id: string }>(
          'DELETE FROM discord_links WHERE address = $1 AND discord_user_id <> $2 RETURNING discord_user_id',
          [address, request.discordUserId],
        );
        await client.query(
          `INSERT INTO discord_links (discord_user_id, address, username, linked_at, message_id, envelope, sig_kind, sig_block)
           VALUES ($1, $2, $3, now(), $4, $5, $6, $7)
           ON CONFLICT (discord_user_id) DO UPDATE SET address = EXCLUDED.address, username = EXCLUDED.username, linked_at = EXCLUDED.linked_at,
             message_id = EXCLUDED.message_id, envelope = EXCLUDED.envelope, sig_kind = EXCLUDED.sig_kind, sig_block = EXCLUDED.sig_block`,
          [request.discordUserId, address, request.username, parsed.digest, JSON.stringify(body), sig.kind, sig.block === null ? null : sig.block.toString()],
        );
        const before = previous.rows[0]?.address ?? null;
        return {
          discordUserId: request.discordUserId,
          address,
          previousAddress: before && before !== address ? before : null,
          movedFromDiscordUserId: moved.rows[0]?.discord_user_id ?? null,
          request,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError('LINK_CONFLICT', 'this wallet was linked concurrently by another request; try again', { cause: error });
      throw error;
    }
  }

  /** Removes a Discord user's link; answers the address that was linked, or null. */
  async unlink(discordUserId: string): Promise<string | null> {
    const { rows } = await this.deps.pool.query<{ address: string }>('DELETE FROM discord_links WHERE discord_user_id = $1 RETURNING address', [discordUserId]);
    return rows[0]?.address ?? null;
  }

  async addressOf(discordUserId: string): Promise<string | null> {
    return linkedAddress(this.deps.pool, discordUserId);
  }
}

/** The wallet linked to a Discord user, or null. */
export async function linkedAddress(db: Queryable, discordUserId: string): Promise<string | null> {
  const { rows } = await db.query<{ address: string }>('SELECT address FROM discord_links WHERE discord_user_id = $1', [discordUserId]);
  return rows[0]?.address ?? null;
}
