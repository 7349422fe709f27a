'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseLine } = require('../src/csv');

test('a quoted name with a comma', () => {
  assert.deepEqual(parseLine('42,"Smith, John",gold'), ['42', 'Smith, John', 'gold']);
});
