/** How a delivery failed, for the worker's retry decision. */

/** Retrying cannot help (4xx, a refused URL, a missing permission): the job fails at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** The receiver asked us to wait (429 Retry-After): the next attempt waits exactly this long. */
export class RetryAfterError extends Error {
  override name = 'RetryAfterError';
  constructor(
    readonly retryAfterMs: number,
    message: string,
  ) {
    super(message);
  }
}
