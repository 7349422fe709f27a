'use strict';

/** Wraps `fetchUser(id)` so that every user is fetched only once. */
function cachedFetcher(fetchUser) {
  const cache = new Map();
  return async function getUser(id) {
    if (cache.has(id)) return cache.get(id);
    const user = await fetchUser(id);
    cache.set(id, user);
    return user;
  };
}

module.exports = { cachedFetcher };
