/**
 * A random UUID (v4). `crypto.randomUUID` exists only in secure contexts (https, localhost); a page served over
 * plain http on a LAN address still has `crypto.getRandomValues`.
 * @returns {string}
 */
export function randomId() {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') {
    return c.randomUUID();
  }
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, initial * 2^attempt)], so that clients
 * cut off together do not all come back in the same instant.
 * @param {number} attempt 0 for the first retry
 * @param {{initial?: number, max?: number, random?: () => number}} [options] milliseconds
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, { initial = 500, max = 30_000, random = Math.random } = {}) {
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  // Never quite zero: a reconnect loop must yield to the event loop.
  return Math.max(50, Math.round(random() * ceiling));
}

/**
 * Resolves after `ms`, or at once when `signal` aborts.
 * @param {number} ms
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
