'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sendInBatches } = require('../src/batch');

test('every recipient gets the newsletter', async () => {
  const recipients = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const batches = [];
  const sent = await sendInBatches(recipients, 3, async (group) => batches.push(group));
  assert.equal(sent, 7);
  assert.deepEqual(batches, [['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
});
