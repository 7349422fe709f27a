'use strict';

/**
 * Parses a page selection such as "1-3, 7, 10-12" into a sorted list of unique page numbers.
 * Ranges are inclusive on both ends, as in every print dialog.
 */
function parsePageSelection(input, pageCount) {
  const pages = new Set();
  for (const raw of input.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new SyntaxError(`not a page or range: "${part}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start < 1 || end > pageCount || start > end) {
      throw new RangeError(`"${part}" is outside 1-${pageCount}`);
    }
    if (start === end) {
      pages.add(start);
      continue;
    }
    for (let p = start; p < end; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}

module.exports = { parsePageSelection };
