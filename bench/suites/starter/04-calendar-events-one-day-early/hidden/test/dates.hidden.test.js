'use strict';
process.env.TZ = 'America/Los_Angeles';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseDay, weekdayOf } = require('../src/dates');

test('parseDay gives local midnight of that day', () => {
  const d = parseDay('2024-01-01');
  assert.deepEqual([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()], [2024, 0, 1, 0, 0]);
});

test('weekdays across a year boundary and a leap day', () => {
  assert.equal(weekdayOf('2023-12-31'), 'Sunday');
  assert.equal(weekdayOf('2024-02-29'), 'Thursday');
});

test('east of UTC too', () => {
  process.env.TZ = 'Asia/Tokyo';
  const d = parseDay('2024-07-01');
  assert.deepEqual([d.getMonth(), d.getDate(), d.getHours()], [6, 1, 0]);
  process.env.TZ = 'America/Los_Angeles';
});

test('malformed days are refused', () => {
  assert.throws(() => parseDay('2024-3-5'), SyntaxError);
});
