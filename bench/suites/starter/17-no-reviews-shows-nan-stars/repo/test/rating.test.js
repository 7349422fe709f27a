'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { averageRating } = require('../src/rating');

test('no reviews: null', () => {
  assert.equal(averageRating([]), null);
});
