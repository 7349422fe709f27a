'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { cachedFetcher } = require('../src/cache');

test('in flight and later calls share one request per id', async () => {
  const seen = [];
  const getUser = cachedFetcher(async (id) => {
    seen.push(id);
    await new Promise((r) => setTimeout(r, 5));
    return id.toUpperCase();
  });
  assert.deepEqual(await Promise.all([getUser('a'), getUser('b'), getUser('a')]), ['A', 'B', 'A']);
  assert.equal(await getUser('a'), 'A');
  assert.deepEqual(seen, ['a', 'b']);
});

test('a failed request is tried again', async () => {
  let calls = 0;
  const getUser = cachedFetcher(async () => {
    calls++;
    if (calls === 1) throw new Error('503');
    return 'ok';
  });
  await assert.rejects(getUser('x'), /503/);
  assert.equal(await getUser('x'), 'ok');
  assert.equal(calls, 2);
});
