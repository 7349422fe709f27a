'use strict';

/** `date` moved `months` calendar months ahead (UTC), for the next renewal. */
function addMonths(date, months) {
  const next = new Date(date.getTime());
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

module.exports = { addMonths };
