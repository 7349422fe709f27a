'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { listOrders } = require('../src/orders');

const orders = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  createdAt: `2024-01-${String(25 - i).padStart(2, '0')}T10:00:00Z`,
}));

test('the first page starts with the newest order', () => {
  const res = listOrders(orders, { page: 1 });
  assert.equal(res.items.length, 10);
  assert.deepEqual(res.items.map((o) => o.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('page 0 is rejected', () => {
  assert.throws(() => listOrders(orders, { page: 0 }), RangeError);
});
