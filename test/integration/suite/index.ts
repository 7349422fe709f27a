/**
 * Entry the VS Code host loads as `extensionTestsPath` (bundled to out/integration/index.js by run.js):
 * runs the mocha suites inside the real extension host and rejects when any test fails, which the host
 * reports through codeAutomationExit.
 */
import type MochaType from 'mocha';

export function run(): Promise<void> {
  // mocha 12 is an ES module; require() gives its namespace
  const ns = require('mocha') as { Mocha?: typeof MochaType; default?: typeof MochaType };
  const Mocha = (ns.Mocha ?? ns.default ?? ns) as typeof MochaType;
  // RB_SUITE_GREP (from the environment of test/integration/run.js) runs only the matching tests
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false, reporter: 'spec', ...(process.env.RB_SUITE_GREP ? { grep: process.env.RB_SUITE_GREP } : {}) });
  // the suites are bundled into this file: give them mocha's globals, then load them in order
  mocha.suite.emit('pre-require', globalThis, 'in-host', mocha);
  require('./activation.test');
  require('./memory.test');
  require('./solve.test');
  require('./review.test');
  require('./guards.test');
  require('./vscode-lm.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
