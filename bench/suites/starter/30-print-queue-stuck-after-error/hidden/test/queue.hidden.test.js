'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { SerialQueue } = require('../src/queue');

test('one at a time, in order, across failures', async () => {
  const queue = new SerialQueue();
  const log = [];
  let running = 0;
  const job = (name, fail) => async () => {
    running++;
    assert.equal(running, 1, 'only one job at a time');
    await new Promise((r) => setTimeout(r, 3));
    log.push(name);
    running--;
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([queue.add(job('a')), queue.add(job('b', true)), queue.add(job('c')), queue.add(job('d', true)), queue.add(job('e'))]);
  assert.deepEqual(log, ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
  assert.equal(results[4].value, 'e');
});
