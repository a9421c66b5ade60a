/**
 * Two kinds of failure. Transient ones (the node is down, a timeout, a 5xx, a lost Redis or database
 * connection) are retried with exponential backoff and jitter: every step re-reads the chain first, so
 * a retry never does anything twice. Permanent ones (a revert, a missing role, a payload or code-hash
 * mismatch, an expired operation) are not retried: the proposal's execution is marked failed with the
 * reason, and BullMQ gets an UnrecoverableError.
 */
import { UnrecoverableError } from 'bullmq';
import { Interface, isError } from 'ethers';
import { GovrelayError } from '../errors.js';
import { GOVERNOR_ABI, roleName, TIMELOCK_ABI } from './abi.js';

/** Retried with backoff (retryable). */
export class TransientError extends GovrelayError {
  override name = 'TransientError';
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { ...options, retryable: true });
  }
}

/** Not retried (not retryable): the execution is marked failed with `code` as the reason. */
export class PermanentError extends GovrelayError {
  override name = 'PermanentError';
  constructor(
    message: string,
    /** Short machine-readable reason recorded on the execution (e.g. expired, code-hash-changed, reverted). */
    readonly code: string = 'permanent',
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { ...options, retryable: false });
  }
}

const decoders = [new Interface(TIMELOCK_ABI), new Interface(GOVERNOR_ABI)];

/** Revert data → "ErrorName(arg, …)", naming AccessControl roles; null when it is not ours to decode. */
export function decodeRevert(data: string | null | undefined): string | null {
  if (!data || data === '0x') return null;
  for (const iface of decoders) {
    try {
      const parsed = iface.parseError(data);
      if (!parsed) continue;
      const args = parsed.args.map((a: unknown) => {
        const text = typeof a === 'bigint' ? a.toString() : String(a);
        return parsed.name.startsWith('AccessControl') ? (roleName(text) ?? text) : text;
      });
      return `${parsed.name}(${args.join(', ')})`;
    } catch {
      // not this interface
    }
  }
  return `revert data ${data.slice(0, 74)}`;
}

const TRANSIENT_CODES = new Set([
  'NETWORK_ERROR',
  'TIMEOUT',
  'SERVER_ERROR',
  'BAD_DATA',
  'INSUFFICIENT_FUNDS',
  'NONCE_EXPIRED',
  'REPLACEMENT_UNDERPRICED',
  'TRANSACTION_REPLACED',
  'CANCELLED',
]);
const PERMANENT_CODES = new Set([
  'INVALID_ARGUMENT',
  'MISSING_ARGUMENT',
  'UNEXPECTED_ARGUMENT',
  'NUMERIC_FAULT',
  'UNSUPPORTED_OPERATION',
  'NOT_IMPLEMENTED',
  'VALUE_MISMATCH',
  'BUFFER_OVERRUN',
]);

/**
 * Sorts any error into TransientError or PermanentError.
 * - ours: kept as they are;
 * - ethers CALL_EXCEPTION with revert data or a reason (a revert, a missing role): permanent;
 *   CALL_EXCEPTION with nothing (a node that lost the call) is transient;
 * - ethers network errors, timeouts, 5xx, rate limits, low funds (an operator tops up): transient;
 * - programming errors (bad arguments): permanent;
 * - anything else (network, database, Redis, unknown): transient, because every retry re-reads the chain.
 */
export function classifyError(error: unknown): TransientError | PermanentError {
  if (error instanceof TransientError || error instanceof PermanentError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isError(error, 'CALL_EXCEPTION')) {
    const reason = decodeRevert(error.data) ?? error.reason ?? null;
    if (reason) {
      const missingRole = /AccessControlUnauthorizedAccount/.test(reason);
      return new PermanentError(`${missingRole ? 'missing role' : 'reverted'}: ${reason}`, missingRole ? 'missing-role' : 'reverted', { cause: error });
    }
    if (error.receipt) return new PermanentError(`transaction ${error.receipt.hash} reverted`, 'reverted', { cause: error });
    return new TransientError(`call failed without revert data: ${error.shortMessage}`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code)) return new TransientError(`${code}: ${message}`, { cause: error });
    if (PERMANENT_CODES.has(code)) return new PermanentError(`${code}: ${message}`, 'invalid', { cause: error });
  }
  return new TransientError(message, { cause: error });
}

/** What a BullMQ processor throws: permanent errors become UnrecoverableError (no retry). */
export function toJobError(error: TransientError | PermanentError): Error {
  return !error.retryable && error instanceof PermanentError ? new UnrecoverableError(`${error.code}: ${error.message}`) : error;
}
