'use strict';

/** Splits `list` into consecutive groups of `size` items; the last group may be shorter. */
function chunk(list, size) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const groups = [];
  for (let i = 0; i + size < list.length; i += size) {
    groups.push(list.slice(i, i + size));
  }
  return groups;
}

/** Sends one request per batch so the mail provider's per-request limit is respected. */
async function sendInBatches(recipients, size, send) {
  let sent = 0;
  for (const group of chunk(recipients, size)) {
    await send(group);
    sent += group.length;
  }
  return sent;
}

module.exports = { chunk, sendInBatches };
