'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { addMonths } = require('../src/renewal');

const add = (iso, n) => addMonths(new Date(`${iso}T00:00:00Z`), n).toISOString().slice(0, 10);

test('month ends are clamped', () => {
  assert.equal(add('2023-01-31', 1), '2023-02-28');
  assert.equal(add('2024-03-31', 1), '2024-04-30');
  assert.equal(add('2024-12-31', 2), '2025-02-28');
});

test('ordinary days keep their day', () => {
  assert.equal(add('2024-01-15', 1), '2024-02-15');
  assert.equal(add('2024-11-30', 3), '2025-02-28');
  assert.equal(add('2024-05-10', 12), '2025-05-10');
});
