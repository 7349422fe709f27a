'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parsePageSelection } = require('../src/pages');

test('mixed ranges and pages, deduplicated', () => {
  assert.deepEqual(parsePageSelection('1-3, 7, 10-12, 2', 12), [1, 2, 3, 7, 10, 11, 12]);
});

test('a two-page range', () => {
  assert.deepEqual(parsePageSelection('5-6', 6), [5, 6]);
});

test('the whole document', () => {
  assert.deepEqual(parsePageSelection('1-4', 4), [1, 2, 3, 4]);
});

test('ranges past the end are refused', () => {
  assert.throws(() => parsePageSelection('3-5', 4), RangeError);
});
