'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { addMonths } = require('../src/renewal');

test('January 31 renews on February 29 in a leap year', () => {
  assert.equal(addMonths(new Date('2024-01-31T09:00:00Z'), 1).toISOString(), '2024-02-29T09:00:00.000Z');
});
