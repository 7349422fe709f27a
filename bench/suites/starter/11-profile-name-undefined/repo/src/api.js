'use strict';

const USERS = new Map([
  ['u1', { id: 'u1', name: 'Grace Hopper', email: 'grace@example.com', teams: ['compilers'] }],
  ['u2', { id: 'u2', name: 'Alan Kay', email: 'alan@example.com', teams: [] }],
]);

/** Stands in for the HTTP call to the users service. */
async function fetchUser(id) {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return USERS.get(id) ?? null;
}

module.exports = { fetchUser };
