'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { requestOptions, authenticated, DEFAULTS } = require('../src/options');

test('every call gets headers of its own', () => {
  const a = authenticated('token-a');
  const b = authenticated('token-b');
  assert.equal(a.headers.authorization, 'Bearer token-a');
  assert.equal(b.headers.authorization, 'Bearer token-b');
  assert.equal(DEFAULTS.headers.authorization, undefined);
  assert.deepEqual(requestOptions().headers, { accept: 'application/json' });
});

test('overrides still apply', () => {
  assert.equal(requestOptions({ timeoutMs: 10 }).timeoutMs, 10);
  assert.equal(requestOptions().headers.accept, 'application/json');
});
