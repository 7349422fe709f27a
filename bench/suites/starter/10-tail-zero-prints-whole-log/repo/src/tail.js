'use strict';

/** The last `n` lines of `text` (like `tail -n`). */
function lastLines(text, n) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-n);
}

module.exports = { lastLines };
