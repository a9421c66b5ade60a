/**
 * Operator endpoints are authenticated with a bearer token (ADMIN_TOKEN). Without a configured
 * token they are off. Compared in constant time. Used as an onRequest hook: a request without the
 * token gets its 401 before its body is validated (nothing about the route's input is revealed).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminAuth(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) throw new AppError('ADMIN_DISABLED', 404, 'admin endpoints are off: set ADMIN_TOKEN to enable them');
    const header = request.headers.authorization ?? '';
    // The auth scheme name is case-insensitive (RFC 7235 section 2.1); the token is not.
    const match = /^bearer +(\S+) *$/i.exec(header);
    const token = match ? match[1]! : '';
    if (!token || !timingSafeEqual(digest(token), expected)) {
      throw new AppError('UNAUTHORIZED', 401, 'send Authorization: Bearer <ADMIN_TOKEN>');
    }
  };
}
