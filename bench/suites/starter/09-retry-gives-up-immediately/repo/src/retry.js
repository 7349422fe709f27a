'use strict';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until it resolves, at most `attempts` times, waiting `delayMs` between tries. Rejects with
 * the last error when every try failed. `fn` returns a promise.
 */
async function withRetry(fn, { attempts = 3, delayMs = 100 } = {}) {
  let lastError;
  for (let i = 1; i <= attempts; i++) {
    try {
      return fn(i);
    } catch (err) {
      lastError = err;
      if (i < attempts) await sleep(delayMs);
    }
  }
  throw lastError;
}

module.exports = { withRetry };
