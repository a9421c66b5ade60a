/**
 * One error base for the server, the relayer and the notification workers: a short message naming
 * the problem, optional details (an object, logged and, for AppError, answered), the cause, and
 * whether retrying could help. Every retry decision reads `retryable`: the HTTP answer's
 * (AppError), the relayer's (TransientError / PermanentError, core/executions/errors.ts) and the
 * notification queue's (server/notifications/errors.ts).
 */

export interface ErrorOptions {
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
  retryable?: boolean | undefined;
}

export class GovrelayError extends Error {
  override name = 'GovrelayError';
  readonly details: Record<string, unknown> | undefined;
  /** True when the same operation may succeed later (a dependency was down, a rate limit): retry it. */
  readonly retryable: boolean;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }
}

/** Errors a client can cause: a machine-readable code and an HTTP status besides the base's fields. */
export type AppErrorOptions = ErrorOptions;

export class AppError extends GovrelayError {
  override name = 'AppError';

  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options);
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** The request itself is malformed or breaks a rule (400). */
export class InvalidInputError extends AppError {
  override name = 'InvalidInputError';
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 400, message, options);
  }
}

/** The signature does not prove the claimed signer (401). */
export class SignatureError extends AppError {
  override name = 'SignatureError';
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 401, message, options);
  }
}

/** The signer may not do this (403). */
export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 403, message, options);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 404, message, options);
  }
}

/** The message conflicts with what is already recorded: a replay, or an older re-vote (409). */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 409, message, options);
  }
}

/** A dependency (chain RPC, database) failed; the client may retry (503). */
export class UpstreamError extends AppError {
  override name = 'UpstreamError';
  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(code, 503, message, { retryable: true, ...options });
  }
}
