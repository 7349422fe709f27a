'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { topProducts } = require('../src/top');

test('the catalogue keeps its order', () => {
  const catalogue = [{ id: 'a', revenue: 1 }, { id: 'b', revenue: 3 }, { id: 'c', revenue: 2 }];
  topProducts(catalogue, 2);
  assert.deepEqual(catalogue.map((p) => p.id), ['a', 'b', 'c']);
});
