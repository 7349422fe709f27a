'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { paginate } = require('../src/paginate');

const items = Array.from({ length: 25 }, (_, i) => i);

test('pages cover every item exactly once', () => {
  const seen = [];
  for (let page = 1; page <= 3; page++) seen.push(...paginate(items, page, 10).items);
  assert.deepEqual(seen, items);
});

test('the last page holds the remainder', () => {
  assert.deepEqual(paginate(items, 3, 10).items, [20, 21, 22, 23, 24]);
});

test('a page past the end is empty', () => {
  assert.deepEqual(paginate(items, 4, 10).items, []);
});

test('one item per page', () => {
  assert.deepEqual(paginate(items, 1, 1).items, [0]);
  assert.deepEqual(paginate(items, 25, 1).items, [24]);
});
