'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sortNames } = require('../src/sort');

test('dictionary order', () => {
  assert.deepEqual(sortNames(['Zoe', 'Émile', 'adam']), ['adam', 'Émile', 'Zoe']);
});
