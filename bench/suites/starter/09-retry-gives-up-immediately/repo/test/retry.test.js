'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { withRetry } = require('../src/retry');

test('a request that fails once is retried', async () => {
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls++;
      if (calls === 1) throw new Error('503 Service Unavailable');
      return 'ok';
    },
    { attempts: 3, delayMs: 1 },
  );
  assert.equal(result, 'ok');
  assert.equal(calls, 2);
});
