'use strict';

/** Monday 00:00 UTC of the week (Monday to Sunday) that contains `date`. */
function startOfWeek(date) {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - day.getUTCDay() + 1);
  return day;
}

module.exports = { startOfWeek };
