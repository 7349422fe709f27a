'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { percentages } = require('../src/poll');

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

test('always 100 in total', () => {
  for (const counts of [[1, 1, 1, 1, 1, 1], [1, 2, 3, 4], [7, 0, 5], [1, 1, 1, 1, 1, 1, 1]]) {
    assert.equal(sum(percentages(counts)), 100, counts.join(','));
  }
});

test('close to the true shares', () => {
  assert.deepEqual(percentages([2, 1]), [67, 33]);
  assert.deepEqual(percentages([1, 0]), [100, 0]);
  assert.deepEqual(percentages([1, 1, 1, 1, 1, 1]), [17, 17, 17, 17, 16, 16]);
});
