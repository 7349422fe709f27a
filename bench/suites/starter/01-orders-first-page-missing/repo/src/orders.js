'use strict';
const { paginate } = require('./paginate');

function listOrders(orders, query = {}) {
  const page = query.page === undefined ? 1 : Number(query.page);
  const perPage = query.perPage === undefined ? 10 : Number(query.perPage);
  const sorted = [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return paginate(sorted, page, perPage);
}

module.exports = { listOrders };
