'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseLine } = require('../src/csv');

test('doubled quotes inside quotes', () => {
  assert.deepEqual(parseLine('7,"say ""hi""",x'), ['7', 'say "hi"', 'x']);
});

test('plain and empty fields', () => {
  assert.deepEqual(parseLine('a,b,c'), ['a', 'b', 'c']);
  assert.deepEqual(parseLine('a,,c'), ['a', '', 'c']);
  assert.deepEqual(parseLine('"",x'), ['', 'x']);
});
