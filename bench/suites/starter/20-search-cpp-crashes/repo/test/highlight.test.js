'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { highlight } = require('../src/highlight');

test('c++', () => {
  assert.equal(highlight('I like C++ and c++', 'c++'), 'I like <mark>C++</mark> and <mark>c++</mark>');
});
