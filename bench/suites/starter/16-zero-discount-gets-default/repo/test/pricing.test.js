'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { finalPrice } = require('../src/pricing');

test('a partner with 0 % pays the full price', () => {
  assert.equal(finalPrice(1000, { discountPercent: 0 }), 1000);
});
