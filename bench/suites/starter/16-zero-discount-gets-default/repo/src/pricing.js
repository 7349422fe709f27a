'use strict';

const DEFAULT_DISCOUNT_PERCENT = 10;

/** The price a customer pays, in cents, after their discount. */
function finalPrice(priceCents, customer) {
  const discount = customer.discountPercent || DEFAULT_DISCOUNT_PERCENT;
  return Math.round((priceCents * (100 - discount)) / 100);
}

module.exports = { finalPrice, DEFAULT_DISCOUNT_PERCENT };
