'use strict';

/**
 * Returns one page of `items`. Pages are numbered from 1, as in the public API (`?page=1`).
 */
function paginate(items, page = 1, perPage = 10) {
  if (!Number.isInteger(page) || page < 1) {
    throw new RangeError(`page must be an integer >= 1, got ${page}`);
  }
  if (!Number.isInteger(perPage) || perPage < 1) {
    throw new RangeError(`perPage must be an integer >= 1, got ${perPage}`);
  }
  const start = page * perPage;
  return {
    page,
    perPage,
    total: items.length,
    items: items.slice(start, start + perPage),
  };
}

module.exports = { paginate };
