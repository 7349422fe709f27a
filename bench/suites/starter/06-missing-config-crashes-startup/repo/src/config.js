'use strict';
const fs = require('node:fs/promises');

const DEFAULTS = Object.freeze({ concurrency: 4, queue: 'default', logLevel: 'info' });

async function readJson(file) {
  const text = await fs.readFile(file, 'utf8');
  return JSON.parse(text);
}

/**
 * Loads the worker configuration. A missing file is normal on first start: the defaults apply.
 * Any other problem (bad JSON, no permission) is an error the caller must see.
 */
async function loadConfig(file) {
  try {
    return readJson(file).then((cfg) => ({ ...DEFAULTS, ...cfg }));
  } catch (err) {
    if (err.code === 'ENOENT') return { ...DEFAULTS };
    throw err;
  }
}

module.exports = { loadConfig, DEFAULTS };
