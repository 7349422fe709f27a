'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Store } = require('../src/store');
const { importContacts } = require('../src/import');

test('imported contacts can be read right after the import', async () => {
  const store = new Store();
  const n = await importContacts(store, [{ id: 1, name: ' Ada ', email: 'ADA@example.com' }]);
  assert.equal(n, 1);
  assert.deepEqual(await store.get('1'), { id: '1', name: 'Ada', email: 'ada@example.com' });
});
