'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startOfWeek } = require('../src/week');

test('a Sunday belongs to the week that started the Monday before', () => {
  assert.equal(startOfWeek(new Date('2024-03-10T15:00:00Z')).toISOString(), '2024-03-04T00:00:00.000Z');
});
