'use strict';

/** `base` with `params` as its query string (in the order given). */
function buildUrl(base, params) {
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return query ? `${base}?${query}` : base;
}

module.exports = { buildUrl };
