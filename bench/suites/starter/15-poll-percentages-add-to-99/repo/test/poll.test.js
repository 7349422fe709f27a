'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { percentages } = require('../src/poll');

test('three equal answers fill the bar', () => {
  assert.deepEqual(percentages([1, 1, 1]), [34, 33, 33]);
});
