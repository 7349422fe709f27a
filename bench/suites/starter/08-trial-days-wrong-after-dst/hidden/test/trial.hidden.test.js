'use strict';
process.env.TZ = 'Europe/Berlin';
const test = require('node:test');
const assert = require('node:assert/strict');
const { daysBetween } = require('../src/trial');

test('across the spring and autumn clock changes', () => {
  assert.equal(daysBetween('2024-03-30', '2024-04-01'), 2);
  assert.equal(daysBetween('2024-10-26', '2024-10-28'), 2);
});

test('backwards across a clock change', () => {
  assert.equal(daysBetween('2024-04-01', '2024-03-30'), -2);
  assert.equal(daysBetween('2024-10-28', '2024-10-26'), -2);
});

test('a whole year, leap day included', () => {
  assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
});
