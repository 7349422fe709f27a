'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { matches } = require('../src/glob');

test('*.log does not match catalog', () => {
  assert.equal(matches('*.log', 'app.log'), true);
  assert.equal(matches('*.log', 'catalog'), false);
});
