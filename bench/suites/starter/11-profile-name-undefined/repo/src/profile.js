'use strict';
const api = require('./api');

class NotFoundError extends Error {}

/** The data the profile page renders. Throws NotFoundError for an unknown user id. */
async function getProfile(id) {
  const user = api.fetchUser(id);
  if (!user) throw new NotFoundError(`no user ${id}`);
  return {
    id,
    displayName: user.name,
    teamCount: user.teams?.length ?? 0,
  };
}

module.exports = { getProfile, NotFoundError };
