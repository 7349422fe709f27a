#!/usr/bin/env node
// `npm start`: build, package the VSIX and open the extension in a real VS Code with a sample workspace
// that has a failing test to solve — desktop `code` when it is on PATH, otherwise code-server on
// 127.0.0.1 (installed on demand into a cache folder, see scripts/code-server.js). Ctrl-C stops it.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureCodeServer, cacheRoot } = require('./code-server');
const { makeSampleRepo, startCodeServer, workbenchUrl, Cleanup } = require('../test/integration/host');

const ROOT = path.resolve(__dirname, '..');
const VSIX = path.join(ROOT, 'reasoningbank.vsix');

function say(msg) {
  process.stderr.write(`[start] ${msg}\n`);
}

function onPath(cmd) {
  return spawnSync('which', [cmd], { encoding: 'utf8' }).status === 0;
}

function npmRun(script) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // vsce asks about a missing repository field / license on stdin; answer yes so it never blocks
  return spawnSync(npm, ['run', script], { cwd: ROOT, stdio: ['pipe', 'inherit', 'inherit'], input: 'y\ny\n' }).status === 0;
}

/** The sample workspace as a git repository, made once and kept (so its memory bank grows between sessions). */
function sampleWorkspace() {
  const parent = path.join(cacheRoot(), 'workspaces');
  const dir = path.join(parent, 'sample-workspace');
  if (fs.existsSync(path.join(dir, '.git'))) return dir;
  fs.mkdirSync(parent, { recursive: true });
  return makeSampleRepo(parent, 'sample-workspace');
}

async function main() {
  say('building and packaging (npm run package)');
  const packaged = npmRun('package') && fs.existsSync(VSIX);
  if (!packaged) {
    say('packaging failed; falling back to running the extension from this folder (development mode)');
    if (!npmRun('build')) throw new Error('the build failed: fix the errors above and run npm start again');
  }
  const workspace = sampleWorkspace();
  say(`sample workspace: ${workspace} (its test fails: try "ReasoningBank: Solve with memory" with the text of ISSUE.md)`);

  if (onPath('code') && !process.env.REASONINGBANK_USE_CODE_SERVER) {
    if (packaged) spawnSync('code', ['--install-extension', VSIX, '--force'], { stdio: 'inherit' });
    const args = packaged ? [workspace] : ['--extensionDevelopmentPath', ROOT, workspace];
    say(`opening desktop VS Code: code ${args.join(' ')}`);
    spawn('code', args, { stdio: 'inherit', detached: true }).unref();
    return;
  }

  const bin = ensureCodeServer();
  const base = path.join(cacheRoot(), 'start');
  const dirs = {
    userData: path.join(base, 'user-data'),
    extensions: path.join(base, 'extensions'),
    home: process.env.HOME,
    xdgConfig: process.env.XDG_CONFIG_HOME || path.join(process.env.HOME, '.config'),
    xdgData: process.env.XDG_DATA_HOME || path.join(process.env.HOME, '.local', 'share'),
    xdgCache: process.env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'),
    tmp: require('os').tmpdir(),
  };
  fs.mkdirSync(dirs.userData, { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  if (packaged) {
    const r = spawnSync(bin, ['--install-extension', VSIX, '--force', '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('code-server could not install reasoningbank.vsix');
  } else {
    // a previously installed copy would register the same commands twice next to the development copy
    for (const d of fs.readdirSync(dirs.extensions)) if (d.startsWith('reasoningbank.')) fs.rmSync(path.join(dirs.extensions, d), { recursive: true, force: true });
  }
  const cleanup = new Cleanup();
  const logFile = path.join(base, 'code-server.log');
  const server = await startCodeServer({ bin, dirs, logFile, env: {}, trust: true, folder: workspace });
  cleanup.add(() => server.stop());
  const payload = packaged ? null : [['extensionDevelopmentPath', `vscode-remote://${server.host}${ROOT}`]];
  const url = workbenchUrl(server.host, workspace, payload);
  say(`code-server is running (log: ${logFile})`);
  process.stdout.write(`\n  Open ${url}\n\n  Set the model first: ReasoningBank: Set API key, or the reasoningBank.baseUrl setting. Ctrl-C stops.\n\n`);
  const stop = () => cleanup.run().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => {
    say(`code-server exited (${code})`);
    process.exit(code ?? 0);
  });
}

main().catch((err) => {
  say(err && err.message ? err.message : String(err));
  process.exit(1);
});
