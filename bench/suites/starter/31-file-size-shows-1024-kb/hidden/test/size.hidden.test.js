'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { formatSize } = require('../src/size');

test('unit boundaries', () => {
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1024 * 1024), '1 MB');
  assert.equal(formatSize(1024 ** 3), '1 GB');
});

test('in between', () => {
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(0), '0 B');
});
