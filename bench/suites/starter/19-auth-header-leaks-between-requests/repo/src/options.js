'use strict';

const DEFAULTS = {
  timeoutMs: 5000,
  headers: { accept: 'application/json' },
};

/** Options for one request: the defaults with `overrides` on top. */
function requestOptions(overrides = {}) {
  return Object.assign({}, DEFAULTS, overrides);
}

/** Options for a request made on behalf of a signed-in user. */
function authenticated(token) {
  const options = requestOptions();
  options.headers.authorization = `Bearer ${token}`;
  return options;
}

module.exports = { requestOptions, authenticated, DEFAULTS };
