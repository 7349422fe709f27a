'use strict';

/** Number of pages needed to show `total` results, `perPage` at a time. */
function pageCount(total, perPage) {
  if (perPage < 1) throw new RangeError('perPage must be >= 1');
  return Math.floor(total / perPage);
}

/** The labels the pager renders, e.g. "Page 2 of 5", and whether "Next" is enabled. */
function pagerState(page, total, perPage) {
  const pages = pageCount(total, perPage);
  return {
    label: `Page ${page} of ${pages}`,
    hasPrevious: page > 1,
    hasNext: page < pages,
  };
}

module.exports = { pageCount, pagerState };
