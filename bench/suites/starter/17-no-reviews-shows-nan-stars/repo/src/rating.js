'use strict';

/** Mean of the star ratings (1–5), rounded to one decimal, for the product page. */
function averageRating(ratings) {
  const sum = ratings.reduce((a, b) => a + b, 0);
  return Math.round((sum / ratings.length) * 10) / 10;
}

module.exports = { averageRating };
