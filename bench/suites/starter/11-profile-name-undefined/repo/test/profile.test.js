'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { getProfile } = require('../src/profile');

test('the profile shows the user name', async () => {
  const profile = await getProfile('u1');
  assert.equal(profile.displayName, 'Grace Hopper');
  assert.equal(profile.teamCount, 1);
});
