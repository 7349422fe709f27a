'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pagerState } = require('../src/pager');

test('"Next" is enabled while results remain', () => {
  assert.equal(pagerState(2, 25, 10).hasNext, true);
});

test('the label counts the partial last page', () => {
  assert.equal(pagerState(3, 25, 10).label, 'Page 3 of 3');
});
