'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { averageRating } = require('../src/rating');

test('the mean, to one decimal', () => {
  assert.equal(averageRating([4, 5]), 4.5);
  assert.equal(averageRating([5, 4, 4]), 4.3);
});

test('without ratings there is no average', () => {
  assert.strictEqual(averageRating([]), null);
});
