'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { cartTotalCents } = require('../src/cart');

test('one item at 19.99', () => {
  assert.equal(cartTotalCents([{ price: 19.99, quantity: 1 }]), 1999);
});

test('an empty cart costs nothing', () => {
  assert.equal(cartTotalCents([]), 0);
});
