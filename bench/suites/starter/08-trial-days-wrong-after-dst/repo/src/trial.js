'use strict';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Local midnight of a YYYY-MM-DD day. */
function parseDay(text) {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
function daysBetween(from, to) {
  return Math.floor((parseDay(to) - parseDay(from)) / DAY_MS);
}

/** Days left in a trial that ends on `endDay` (inclusive of nothing: 0 on the last day). */
function trialDaysLeft(today, endDay) {
  return Math.max(0, daysBetween(today, endDay));
}

module.exports = { parseDay, daysBetween, trialDaysLeft };
