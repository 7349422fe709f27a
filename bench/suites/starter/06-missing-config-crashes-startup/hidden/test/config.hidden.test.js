'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');
const { loadConfig, DEFAULTS } = require('../src/config');

test('defaults are a fresh object each time', async () => {
  const missing = path.join(os.tmpdir(), 'no-such-dir-for-cfg', 'w.json');
  const a = await loadConfig(missing);
  a.concurrency = 99;
  assert.equal((await loadConfig(missing)).concurrency, DEFAULTS.concurrency);
});

test('bad JSON is still an error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  try {
    const file = path.join(dir, 'worker.json');
    fs.writeFileSync(file, '{ concurrency: ');
    await assert.rejects(loadConfig(file), SyntaxError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
