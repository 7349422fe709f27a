'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { requestOptions, authenticated } = require('../src/options');

test('an anonymous request after a signed-in one has no token', () => {
  authenticated('secret-1');
  assert.equal(requestOptions().headers.authorization, undefined);
});
