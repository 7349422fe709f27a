'use strict';
// The bug shows for users west of UTC; pin the zone so the test means the same everywhere.
process.env.TZ = 'America/New_York';
const test = require('node:test');
const assert = require('node:assert/strict');
const { weekdayOf, dayOfMonth } = require('../src/dates');

test('2024-03-05 is a Tuesday', () => {
  assert.equal(weekdayOf('2024-03-05'), 'Tuesday');
});

test('the month grid shows the 5th', () => {
  assert.equal(dayOfMonth('2024-03-05'), 5);
});
