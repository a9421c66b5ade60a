/**
 * Discord signs every interaction request with the application's Ed25519 key: the signature
 * (X-Signature-Ed25519, hex) covers X-Signature-Timestamp followed by the raw request body.
 * A request that fails here must get 401 and change nothing; Discord itself sends such requests
 * when the interactions URL is saved, to check that the endpoint refuses them.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Requests whose signed timestamp is further than this from our clock are refused (replays). */
export const MAX_TIMESTAMP_SKEW_S = 300;

export type SignatureCheck = { ok: true } | { ok: false; code: 'INVALID_SIGNATURE' | 'STALE_TIMESTAMP'; message: string };

/** The application's public key (64 hex digits, as shown in the Discord developer portal). */
export function discordPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('DISCORD_PUBLIC_KEY must be 32 bytes of hex');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function verifyDiscordRequest(
  key: KeyObject,
  headers: { signature: unknown; timestamp: unknown },
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (typeof signature !== 'string' || !/^[0-9a-fA-F]{128}$/.test(signature)) {
    return { ok: false, code: 'INVALID_SIGNATURE', message: 'X-Signature-Ed25519 must be 64 bytes of hex' };
  }
  if (typeof timestamp !== 'string' || !/^[0-9]{1,12}$/.test(timestamp)) {
    return { ok: false, code: 'INVALID_SIGNATURE', message: 'X-Signature-Timestamp must be unix seconds' };
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
  if (!verify(null, signed, key, Buffer.from(signature, 'hex'))) {
    return { ok: false, code: 'INVALID_SIGNATURE', message: 'the request signature does not verify with the application public key' };
  }
  // Checked after the signature, so an unsigned request never learns anything about our clock.
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_TIMESTAMP_SKEW_S) {
    return { ok: false, code: 'STALE_TIMESTAMP', message: `the signed timestamp is more than ${MAX_TIMESTAMP_SKEW_S} s from the server's clock` };
  }
  return { ok: true };
}
