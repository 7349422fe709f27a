'use strict';

/** A RegExp matching the paths that the shell-style pattern `glob` matches. */
function globToRegExp(glob) {
  const source = glob.replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp('^' + source + '$');
}

function matches(glob, path) {
  return globToRegExp(glob).test(path);
}

module.exports = { globToRegExp, matches };
