'use strict';

/** Each answer's share of the votes, in whole percent, for the stacked result bar. */
function percentages(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => Math.round((c / total) * 100));
}

module.exports = { percentages };
