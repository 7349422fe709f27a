'use strict';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** A byte count for people: at most one decimal, in the largest unit that keeps it >= 1. */
function formatSize(bytes) {
  let value = bytes;
  let unit = 0;
  while (value > 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${UNITS[unit]}`;
}

module.exports = { formatSize };
