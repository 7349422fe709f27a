'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { cartTotalCents } = require('../src/cart');

test('prices that are not exact in binary', () => {
  assert.equal(cartTotalCents([{ price: 4.35, quantity: 1 }]), 435);
  assert.equal(cartTotalCents([{ price: 0.1, quantity: 3 }]), 30);
  assert.equal(cartTotalCents([{ price: 1.15, quantity: 1 }, { price: 2.3, quantity: 2 }]), 575);
});

test('whole euros', () => {
  assert.equal(cartTotalCents([{ price: 5, quantity: 2 }]), 1000);
});
