'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { highlight } = require('../src/highlight');

test('a dot is a dot', () => {
  assert.equal(highlight('1.5 and 105', '1.5'), '<mark>1.5</mark> and 105');
});

test('brackets, dollars and backslashes', () => {
  assert.equal(highlight('costs $5 (net)', '$5 (net)'), 'costs <mark>$5 (net)</mark>');
  assert.equal(highlight('C:\\temp', 'C:\\'), '<mark>C:\\</mark>temp');
  assert.equal(highlight('a[0] = 1', 'a[0]'), '<mark>a[0]</mark> = 1');
});

test('plain words still match case-insensitively', () => {
  assert.equal(highlight('Node and node', 'node'), '<mark>Node</mark> and <mark>node</mark>');
  assert.equal(highlight('text', ''), 'text');
});
