'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pageCount, pagerState } = require('../src/pager');

test('page counts', () => {
  assert.equal(pageCount(0, 10), 0);
  assert.equal(pageCount(1, 10), 1);
  assert.equal(pageCount(10, 10), 1);
  assert.equal(pageCount(11, 10), 2);
  assert.equal(pageCount(20, 10), 2);
});

test('"Next" is disabled on the last page', () => {
  assert.equal(pagerState(3, 25, 10).hasNext, false);
  assert.equal(pagerState(2, 20, 10).hasNext, false);
});
