'use strict';

const pad = (n) => String(n).padStart(2, '0');

/** ISO calendar date (YYYY-MM-DD) of a Date, in UTC, as printed on invoices. */
function isoDay(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth())}-${pad(date.getUTCDate())}`;
}

function invoiceHeader(invoice) {
  return `Invoice ${invoice.number} — issued ${isoDay(invoice.issuedAt)}, due ${isoDay(invoice.dueAt)}`;
}

module.exports = { isoDay, invoiceHeader };
