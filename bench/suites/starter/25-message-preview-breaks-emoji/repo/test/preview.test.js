'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { preview } = require('../src/preview');

test('emoji are not cut in half', () => {
  assert.equal(preview('Hi 👋👋👋', 5), 'Hi 👋…');
});
