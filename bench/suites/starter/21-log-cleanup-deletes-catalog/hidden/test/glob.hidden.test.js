'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { matches } = require('../src/glob');

test('* stays within a folder', () => {
  assert.equal(matches('logs/*.log', 'logs/app.log'), true);
  assert.equal(matches('logs/*.log', 'logs/old/app.log'), false);
  assert.equal(matches('*.log', 'logs/app.log'), false);
});

test('? is exactly one character', () => {
  assert.equal(matches('app-?.log', 'app-1.log'), true);
  assert.equal(matches('app-?.log', 'app-12.log'), false);
});

test('other special characters are literal', () => {
  assert.equal(matches('report(1).txt', 'report(1).txt'), true);
  assert.equal(matches('a+b.txt', 'aab.txt'), false);
});
