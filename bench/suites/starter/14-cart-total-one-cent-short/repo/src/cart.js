'use strict';

/**
 * Total of the cart in cents. Items carry their unit price in euros as shown in the shop (19.99) and
 * a quantity.
 */
function cartTotalCents(items) {
  let total = 0;
  for (const item of items) {
    total += item.price * item.quantity;
  }
  return Math.floor(total * 100);
}

module.exports = { cartTotalCents };
