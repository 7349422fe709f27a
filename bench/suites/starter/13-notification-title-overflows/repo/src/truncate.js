'use strict';

const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `max` characters, ending in an ellipsis when something was cut.
 * The ellipsis counts towards `max`: the push service rejects longer titles.
 */
function truncate(text, max) {
  if (max < 1) throw new RangeError('max must be >= 1');
  if (text.length <= max) return text;
  return text.slice(0, max) + ELLIPSIS;
}

module.exports = { truncate };
