'use strict';

/** The `n` products with the highest revenue, for the dashboard. */
function topProducts(products, n) {
  return products.sort((a, b) => b.revenue - a.revenue).slice(0, n);
}

module.exports = { topProducts };
