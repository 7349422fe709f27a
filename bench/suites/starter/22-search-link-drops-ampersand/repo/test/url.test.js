'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { buildUrl } = require('../src/url');

test('an ampersand in a value', () => {
  assert.equal(buildUrl('/search', { q: 'fish & chips' }), '/search?q=fish%20%26%20chips');
});
