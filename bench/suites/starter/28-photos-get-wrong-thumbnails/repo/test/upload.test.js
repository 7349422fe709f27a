'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { uploadAll } = require('../src/upload');

const later = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

test('URLs in the order of the files', async () => {
  const sizes = { 'big.jpg': 30, 'small.jpg': 1 };
  const urls = await uploadAll(['big.jpg', 'small.jpg'], (f) => later(sizes[f], `https://cdn/${f}`));
  assert.deepEqual(urls, ['https://cdn/big.jpg', 'https://cdn/small.jpg']);
});
