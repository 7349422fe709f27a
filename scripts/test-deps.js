// Before `npm test`: the agent's commands and the tests run under bubblewrap on Linux, and the sandbox
// suites exercise it for real. Installs it where we run as root on Debian (CI); elsewhere prints the line.
const { spawnSync } = require('child_process');
const { ensureDebianPackages } = require('./code-server');

if (process.platform === 'linux' && spawnSync('which', ['bwrap']).status !== 0) {
  try {
    ensureDebianPackages(['bubblewrap']);
  } catch (err) {
    console.error(`[test] the sandbox tests need bubblewrap (bwrap): ${err.message}`);
    process.exit(1);
  }
}
