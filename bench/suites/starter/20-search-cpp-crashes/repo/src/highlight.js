'use strict';

/** Wraps every occurrence of `query` in `text` in <mark>…</mark> (case-insensitive). */
function highlight(text, query) {
  if (!query) return text;
  const pattern = new RegExp(query, 'gi');
  return text.replace(pattern, (match) => `<mark>${match}</mark>`);
}

module.exports = { highlight };
