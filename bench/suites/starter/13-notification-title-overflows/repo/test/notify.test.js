'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { buildNotification, TITLE_LIMIT } = require('../src/notify');

test('long titles fit the push service limit', () => {
  const n = buildNotification({ title: 'x'.repeat(100), body: 'short' });
  assert.ok(n.title.length <= TITLE_LIMIT, `title has ${n.title.length} characters`);
  assert.ok(n.title.endsWith('…'));
});
