'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { getProfile, NotFoundError } = require('../src/profile');

test('an unknown user is NotFound', async () => {
  await assert.rejects(getProfile('nobody'), NotFoundError);
});

test('a user without teams', async () => {
  assert.deepEqual(await getProfile('u2'), { id: 'u2', displayName: 'Alan Kay', teamCount: 0 });
});
