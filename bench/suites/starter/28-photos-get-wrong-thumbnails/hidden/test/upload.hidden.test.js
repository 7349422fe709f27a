'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { uploadAll } = require('../src/upload');

const later = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

test('many files finishing in reverse order', async () => {
  const files = ['a', 'b', 'c', 'd'];
  const urls = await uploadAll(files, (f) => later(40 - files.indexOf(f) * 10, `u/${f}`));
  assert.deepEqual(urls, ['u/a', 'u/b', 'u/c', 'u/d']);
});

test('the uploads run at the same time', async () => {
  let running = 0;
  let most = 0;
  await uploadAll(['x', 'y', 'z'], async (f) => {
    running++;
    most = Math.max(most, running);
    await later(5);
    running--;
    return f;
  });
  assert.equal(most, 3);
});

test('no files', async () => {
  assert.deepEqual(await uploadAll([], async () => 'never'), []);
});
