'use strict';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Parses a calendar day written as YYYY-MM-DD into a Date at local midnight of that day. */
function parseDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new SyntaxError(`not a YYYY-MM-DD day: "${text}"`);
  return new Date(text);
}

function weekdayOf(text) {
  return WEEKDAYS[parseDay(text).getDay()];
}

/** Day of the month as shown in the month grid. */
function dayOfMonth(text) {
  return parseDay(text).getDate();
}

module.exports = { parseDay, weekdayOf, dayOfMonth };
