'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { topProducts } = require('../src/top');

test('the top products by revenue', () => {
  const catalogue = [{ id: 'a', revenue: 1 }, { id: 'b', revenue: 3 }, { id: 'c', revenue: 2 }];
  assert.deepEqual(topProducts(catalogue, 2).map((p) => p.id), ['b', 'c']);
});

test('works on a frozen catalogue (the cached one is frozen)', () => {
  const catalogue = Object.freeze([{ id: 'x', revenue: 5 }, { id: 'y', revenue: 9 }]);
  assert.deepEqual(topProducts(catalogue, 1).map((p) => p.id), ['y']);
  assert.deepEqual(catalogue.map((p) => p.id), ['x', 'y']);
});
