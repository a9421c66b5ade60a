/**
 * Errors that say a dependency is away (PostgreSQL restarting, Redis down) rather than that
 * something is wrong with the request or the code: the client gets a 503 with a code and
 * `retryable: true`, and the log gets a warning, not an error with a stack per request.
 */
import { AppError } from '../../core/errors.js';
import { isDatabaseUnavailable } from '../../core/db/error-kinds.js';

/** ioredis: the connection is down, the offline queue is off, or retries ran out. */
const REDIS_DOWN =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Reached the max retries per request|Redis connection lost|ECONNREFUSED.*6379|Redis is unavailable/i;

/** Prisma wraps driver errors; these are its "cannot reach / lost the database" ones. */
const PRISMA_UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const PRISMA_UNAVAILABLE =
  /Can't reach database server|Server has closed the connection|DatabaseNotReachable|ConnectionClosed|connection.*(closed|terminated)|Timed out fetching a new connection/i;

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

export function isRedisUnavailable(error: unknown): boolean {
  return chain(error).some((e) => e instanceof Error && (e.name === 'MaxRetriesPerRequestError' || REDIS_DOWN.test(e.message)));
}

function isPrismaUnavailable(error: unknown): boolean {
  return chain(error).some((e) => {
    if (!(e instanceof Error)) return false;
    const code = (e as { code?: unknown; errorCode?: unknown }).code ?? (e as { errorCode?: unknown }).errorCode;
    if (typeof code === 'string' && PRISMA_UNAVAILABLE_CODES.has(code)) return true;
    return e.name.startsWith('PrismaClient') && PRISMA_UNAVAILABLE.test(e.message);
  });
}

/** The 503 for an error caused by an unavailable dependency, or null for any other error. */
export function dependencyError(error: unknown): AppError | null {
  if (error instanceof AppError) return null;
  if (isDatabaseUnavailable(error) || isPrismaUnavailable(error)) {
    return new AppError('DATABASE_UNAVAILABLE', 503, 'the database is unavailable; retry shortly', { retryable: true, cause: error });
  }
  if (isRedisUnavailable(error)) {
    return new AppError('REDIS_UNAVAILABLE', 503, 'Redis is unavailable; retry shortly', { retryable: true, cause: error });
  }
  return null;
}
