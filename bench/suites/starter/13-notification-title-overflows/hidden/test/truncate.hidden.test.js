'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { truncate } = require('../src/truncate');

test('cut text ends in an ellipsis within the limit', () => {
  assert.equal(truncate('Hello world', 5), 'Hell…');
  assert.equal(truncate('abcdef', 1), '…');
});

test('text that fits is unchanged', () => {
  assert.equal(truncate('Hello', 5), 'Hello');
  assert.equal(truncate('Hi', 5), 'Hi');
});
