'use strict';
process.env.TZ = 'America/New_York';
const test = require('node:test');
const assert = require('node:assert/strict');
const { trialDaysLeft } = require('../src/trial');

test('days left within one month', () => {
  assert.equal(trialDaysLeft('2024-06-01', '2024-06-15'), 14);
});

test('days left across the spring clock change', () => {
  assert.equal(trialDaysLeft('2024-03-09', '2024-03-11'), 2);
});
