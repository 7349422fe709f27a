'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { lastLines } = require('../src/tail');

const log = 'a\nb\nc\nd\n';

test('the last two lines', () => {
  assert.deepEqual(lastLines(log, 2), ['c', 'd']);
});

test('--lines 0 prints nothing', () => {
  assert.deepEqual(lastLines(log, 0), []);
});
