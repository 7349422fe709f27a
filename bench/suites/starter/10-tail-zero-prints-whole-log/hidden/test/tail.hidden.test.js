'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { lastLines } = require('../src/tail');

test('more lines asked than there are', () => {
  assert.deepEqual(lastLines('a\nb\n', 10), ['a', 'b']);
});

test('zero lines', () => {
  assert.deepEqual(lastLines('', 0), []);
  assert.deepEqual(lastLines('only line', 0), []);
  assert.deepEqual(lastLines('a\nb\n', 0), []);
});

test('exactly all lines', () => {
  assert.deepEqual(lastLines('x\ny\nz', 3), ['x', 'y', 'z']);
});
