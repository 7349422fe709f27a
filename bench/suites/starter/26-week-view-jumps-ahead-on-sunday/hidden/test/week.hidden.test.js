'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startOfWeek } = require('../src/week');

const monday = (iso) => startOfWeek(new Date(iso)).toISOString().slice(0, 10);

test('every day of a week maps to its Monday', () => {
  for (const day of ['2024-03-04', '2024-03-06', '2024-03-09', '2024-03-10']) assert.equal(monday(`${day}T12:00:00Z`), '2024-03-04', day);
});

test('across a month boundary', () => {
  assert.equal(monday('2024-09-01T23:59:00Z'), '2024-08-26');
});
