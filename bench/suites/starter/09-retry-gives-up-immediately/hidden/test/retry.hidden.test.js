'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { withRetry } = require('../src/retry');

test('gives up after the configured attempts with the last error', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(async (n) => {
      calls++;
      throw new Error(`fail ${n}`);
    }, { attempts: 3, delayMs: 1 }),
    /fail 3/,
  );
  assert.equal(calls, 3);
});

test('a first success is not retried', async () => {
  let calls = 0;
  assert.equal(await withRetry(async () => ++calls, { attempts: 5, delayMs: 1 }), 1);
  assert.equal(calls, 1);
});
