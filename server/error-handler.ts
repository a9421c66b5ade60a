/**
 * Every error leaves the API as { code, message, details? } with a 4xx/5xx status. Client mistakes
 * get their own codes; anything unexpected is a logged 500 that reveals nothing internal.
 *
 * Logging: a refused request (4xx) is the client's mistake, not the server's, so it is one info
 * line with its status and code and no stack (an error-level line per bad vote would bury real
 * failures and cost a stack serialisation per refusal). A 5xx is an error with its stack.
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
  const refuse = (status: number, body: { code: string; message: string; details?: unknown }) => {
    request.log.info({ statusCode: status, code: body.code }, `refused: ${body.message}`);
    return reply.code(status).send(body);
  };
  // A database or Redis that is away is a retryable 503, not an internal error (server/http/dependency-errors.ts):
  // a warning naming the dependency's error, without a stack (nothing in the server is broken).
  const unavailable = dependencyError(error);
  if (unavailable) error = unavailable;
  if (error instanceof AppError) {
    const body = error.retryable ? { ...error.toJSON(), retryable: true } : error.toJSON();
    if (error.retryable) reply.header('retry-after', '1');
    if (error.statusCode < 500) return refuse(error.statusCode, body);
    if (unavailable) request.log.warn({ err: { message: (unavailable.cause as Error | undefined)?.message }, code: error.code }, error.message);
    else request.log.error({ err: error, code: error.code }, error.message);
    return reply.code(error.statusCode).send(body);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return refuse(400, {
      code: 'INVALID_REQUEST',
      message: fastifyError.message,
      details: { problems: fastifyError.validation.map((v) => `${v.instancePath} ${v.message}`) },
    });
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return refuse(known.status, { code: known.code, message: known.message ?? fastifyError.message });
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return refuse(400, { code: 'INVALID_JSON', message: 'the request body is not valid JSON' });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return refuse(fastifyError.statusCode, { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ code: 'INTERNAL_ERROR', message: 'internal error' });
}
