/**
 * An error answered by Parley, with the contract's body `{code, message, details}` and the HTTP status. `code` is
 * one of the contract's codes (`VALIDATION_FAILED`, `CONVERSATION_NOT_FOUND`, `RATE_LIMIT_EXCEEDED`, ...).
 */
export class ParleyError extends Error {
  /**
   * @param {object} init
   * @param {number} init.status HTTP status, or 0 for an `error` frame of the socket
   * @param {string} init.code
   * @param {string} init.message
   * @param {{[key: string]: any}} [init.details]
   * @param {number | null} [init.retryAfter] seconds, from `Retry-After` (or `details.retry_after`)
   */
  constructor({ status, code, message, details = {}, retryAfter = null }) {
    super(message);
    this.name = 'ParleyError';
    /** @readonly */ this.status = status;
    /** @readonly */ this.code = code;
    /** @readonly @type {{[key: string]: any}} */ this.details = details;
    /** @readonly @type {number | null} */ this.retryAfter = retryAfter;
  }

  /** Worth trying again as it is: a limit (after `retryAfter`), or the server being briefly unavailable. */
  get retryable() {
    return this.status === 429 || this.status >= 500 || this.code === 'RATE_LIMIT_EXCEEDED'
      || this.code === 'SERVICE_UNAVAILABLE' || this.code === 'INTERNAL_ERROR';
  }
}

/** The request never got an answer: offline, connection cut, DNS, or the request was aborted or timed out. */
export class NetworkError extends Error {
  /**
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'NetworkError';
  }

  get retryable() {
    return true;
  }
}

/** The session cannot be used any more (revoked, refresh refused): sign in again. */
export class SignedOutError extends Error {
  /** @param {string} message @param {unknown} [cause] */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'SignedOutError';
  }
}

/**
 * @param {unknown} error
 * @returns {boolean} whether trying again later may succeed
 */
export function isRetryable(error) {
  return (error instanceof ParleyError || error instanceof NetworkError) && error.retryable;
}
