'use strict';

/** The contact names in the order the contact list shows them. */
function sortNames(names) {
  return [...names].sort();
}

module.exports = { sortNames };
