'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');
const { loadConfig, DEFAULTS } = require('../src/config');

test('a config file overrides the defaults', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  try {
    const file = path.join(dir, 'worker.json');
    fs.writeFileSync(file, JSON.stringify({ concurrency: 8 }));
    assert.deepEqual(await loadConfig(file), { ...DEFAULTS, concurrency: 8 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without a config file the defaults apply', async () => {
  const missing = path.join(os.tmpdir(), 'no-such-dir-for-cfg', 'worker.json');
  assert.deepEqual(await loadConfig(missing), { ...DEFAULTS });
});
