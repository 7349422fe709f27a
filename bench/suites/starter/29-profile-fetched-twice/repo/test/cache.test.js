'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { cachedFetcher } = require('../src/cache');

test('three calls at once, one request', async () => {
  let requests = 0;
  const getUser = cachedFetcher(async (id) => {
    requests++;
    await new Promise((r) => setTimeout(r, 5));
    return { id };
  });
  const users = await Promise.all([getUser('u1'), getUser('u1'), getUser('u1')]);
  assert.equal(requests, 1);
  assert.deepEqual(users, [{ id: 'u1' }, { id: 'u1' }, { id: 'u1' }]);
});
