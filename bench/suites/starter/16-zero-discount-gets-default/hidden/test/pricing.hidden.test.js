'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { finalPrice } = require('../src/pricing');

test('explicit discounts are used as they are', () => {
  assert.equal(finalPrice(2000, { discountPercent: 0 }), 2000);
  assert.equal(finalPrice(2000, { discountPercent: 25 }), 1500);
});

test('no discount set: the standard 10 %', () => {
  assert.equal(finalPrice(2000, {}), 1800);
  assert.equal(finalPrice(2000, { discountPercent: undefined }), 1800);
});
