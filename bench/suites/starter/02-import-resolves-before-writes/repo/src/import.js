'use strict';

function normalise(contact) {
  return {
    id: String(contact.id),
    name: contact.name.trim(),
    email: contact.email.trim().toLowerCase(),
  };
}

/**
 * Writes every contact to the store. Resolves with the number of contacts written, once they are all
 * stored.
 */
async function importContacts(store, contacts) {
  const rows = contacts.map(normalise);
  rows.forEach(async (row) => {
    await store.put(row.id, row);
  });
  return rows.length;
}

module.exports = { importContacts };
