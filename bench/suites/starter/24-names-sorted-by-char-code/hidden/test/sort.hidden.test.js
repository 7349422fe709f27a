'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sortNames } = require('../src/sort');

test('accents and case do not decide', () => {
  assert.deepEqual(sortNames(['bob', 'Carl', 'Ávila', 'Bea']), ['Ávila', 'Bea', 'bob', 'Carl']);
});

test('the input is left alone', () => {
  const names = ['b', 'a'];
  sortNames(names);
  assert.deepEqual(names, ['b', 'a']);
});
