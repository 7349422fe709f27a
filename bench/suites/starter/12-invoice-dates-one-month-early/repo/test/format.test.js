'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { invoiceHeader } = require('../src/format');

test('the header prints the issue and due days', () => {
  const header = invoiceHeader({
    number: 'INV-7',
    issuedAt: new Date(Date.UTC(2024, 2, 15)),
    dueAt: new Date(Date.UTC(2024, 3, 14)),
  });
  assert.equal(header, 'Invoice INV-7 — issued 2024-03-15, due 2024-04-14');
});
