'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { SerialQueue } = require('../src/queue');

test('a job after a failed one still runs', async () => {
  const queue = new SerialQueue();
  const failed = queue.add(async () => {
    throw new Error('out of paper');
  });
  const next = queue.add(async () => 'printed');
  await assert.rejects(failed, /out of paper/);
  assert.equal(await next, 'printed');
});
