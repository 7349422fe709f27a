'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Store } = require('../src/store');
const { importContacts } = require('../src/import');

test('every contact is stored when the import resolves', async () => {
  const store = new Store();
  const contacts = Array.from({ length: 20 }, (_, i) => ({ id: i, name: `n${i}`, email: `n${i}@x.org` }));
  assert.equal(await importContacts(store, contacts), 20);
  assert.equal(await store.count(), 20);
});

test('a failing write rejects the import', async () => {
  const store = new Store();
  store.put = async () => {
    throw new Error('disk full');
  };
  await assert.rejects(importContacts(store, [{ id: 1, name: 'a', email: 'a@x.org' }]), /disk full/);
});

test('an empty import resolves with 0', async () => {
  assert.equal(await importContacts(new Store(), []), 0);
});
