/** How a delivery failed, for the worker's retry decision (the base's `retryable`). */
import { GovrelayError } from '../../../core/errors.js';

/** Retrying cannot help (4xx, a refused URL, a missing permission): the job fails at once. */
export class PermanentDeliveryError extends GovrelayError {
  override name = 'PermanentDeliveryError';
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** The receiver asked us to wait (429 Retry-After): the next attempt waits exactly this long. */
export class RetryAfterError extends GovrelayError {
  override name = 'RetryAfterError';
  constructor(
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message, { retryable: true, details: { retryAfterMs } });
  }
}
