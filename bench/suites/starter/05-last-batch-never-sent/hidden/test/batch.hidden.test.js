'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chunk } = require('../src/batch');

test('an exact multiple keeps its last full group', () => {
  assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
});

test('fewer items than one group', () => {
  assert.deepEqual(chunk([1, 2], 5), [[1, 2]]);
});

test('one item per group', () => {
  assert.deepEqual(chunk([1, 2, 3], 1), [[1], [2], [3]]);
});

test('no items, no groups', () => {
  assert.deepEqual(chunk([], 3), []);
});
