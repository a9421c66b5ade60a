/**
 * Operator endpoints are authenticated with a bearer token (ADMIN_TOKEN). Without a configured
 * token they are off. Compared in constant time.
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
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !timingSafeEqual(digest(token), expected)) {
      throw new AppError('UNAUTHORIZED', 401, 'send Authorization: Bearer <ADMIN_TOKEN>');
    }
  };
}
