'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { isoDay } = require('../src/format');

test('January and December', () => {
  assert.equal(isoDay(new Date(Date.UTC(2024, 0, 1))), '2024-01-01');
  assert.equal(isoDay(new Date(Date.UTC(2023, 11, 31))), '2023-12-31');
});

test('matches toISOString', () => {
  for (const ms of [0, 951782400000, 1709251199000, 1735689599000]) {
    const d = new Date(ms);
    assert.equal(isoDay(d), d.toISOString().slice(0, 10));
  }
});
