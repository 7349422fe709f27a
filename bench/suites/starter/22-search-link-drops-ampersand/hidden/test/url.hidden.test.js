'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { buildUrl } = require('../src/url');

test('what the server decodes is what was passed', () => {
  const url = buildUrl('https://shop.example/search', { q: 'a+b=c #1', 'sort by': 'price' });
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get('q'), 'a+b=c #1');
  assert.equal(parsed.searchParams.get('sort by'), 'price');
});

test('plain values and no values', () => {
  assert.equal(buildUrl('/list', { page: 2 }), '/list?page=2');
  assert.equal(buildUrl('/list', {}), '/list');
});
