'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { formatSize } = require('../src/size');

test('exactly one kilobyte', () => {
  assert.equal(formatSize(1024), '1 KB');
});
