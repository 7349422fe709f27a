'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parsePageSelection } = require('../src/pages');

test('single pages', () => {
  assert.deepEqual(parsePageSelection('3, 1', 10), [1, 3]);
});

test('a range includes its last page', () => {
  assert.deepEqual(parsePageSelection('2-4', 10), [2, 3, 4]);
});
