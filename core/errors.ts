/**
 * Typed errors. Every error a client can cause carries a machine-readable code, an HTTP status,
 * a short message naming the problem, optional details, and whether retrying could help.
 */

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  retryable?: boolean;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;

  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
    this.retryable = options.retryable ?? false;
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
