'use strict';

/** `text` shortened to at most `max` characters, ending in … when it was shortened. */
function preview(text, max) {
  if (text.length <= max) return text;
  return text.slice(0, max - 1) + '…';
}

module.exports = { preview };
