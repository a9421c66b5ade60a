/**
 * Every error leaves the API as { code, message, details? } with a 4xx/5xx status. Client mistakes
 * get their own codes; anything unexpected is a logged 500 that reveals nothing internal.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { dependencyError } from './http/dependency-errors.js';

const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'the request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', message: 'the request body is larger than the server accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
};

export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // A database or Redis that is away is a retryable 503, not an internal error (server/http/dependency-errors.ts).
  const unavailable = dependencyError(error);
  if (unavailable) error = unavailable;
  if (error instanceof AppError) {
    if (error.statusCode >= 500) request.log.warn({ err: unavailable ? { message: (unavailable.cause as Error)?.message } : error, code: error.code }, error.message);
    if (error.retryable) reply.header('retry-after', '1');
    return reply.code(error.statusCode).send(error.retryable ? { ...error.toJSON(), retryable: true } : error.toJSON());
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return reply.code(400).send({ code: 'INVALID_REQUEST', message: fastifyError.message, details: { problems: fastifyError.validation.map((v) => `${v.instancePath} ${v.message}`) } });
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return reply.code(known.status).send({ code: known.code, message: known.message ?? fastifyError.message });
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return reply.code(400).send({ code: 'INVALID_JSON', message: 'the request body is not valid JSON' });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return reply.code(fastifyError.statusCode).send({ code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ code: 'INTERNAL_ERROR', message: 'internal error' });
}
