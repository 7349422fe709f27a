'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { preview } = require('../src/preview');

test('emoji count as one character', () => {
  assert.equal(preview('👋👋', 2), '👋👋');
  assert.equal(preview('🎉 party 🎉', 4), '🎉 p…');
});

test('plain text', () => {
  assert.equal(preview('hello', 5), 'hello');
  assert.equal(preview('hello world', 6), 'hello…');
});
