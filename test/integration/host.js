// Shared plumbing for the integration runner and `npm start`: temp dirs, a git copy of the sample
// workspace, code-server on 127.0.0.1 with its own HOME, and clean shutdown of everything started here.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'sample-workspace');
// the test-only vscode.lm provider (lm-provider/): installed beside the extension under test, with the
// proposed API it needs enabled for it alone
const LM_PROVIDER_DIR = path.join(__dirname, 'lm-provider');
const LM_PROVIDER_ID = 'reasoningbank-test.scripted-lm';
const LM_PROVIDER_ARGS = ['--enable-proposed-api', LM_PROVIDER_ID];

function log(msg) {
  process.stderr.write(`[integration] ${msg}\n`);
}

/** Cleanups run in reverse order on every exit path (normal end, error, Ctrl-C). */
class Cleanup {
  constructor() {
    this.steps = [];
    this.done = false;
  }
  add(fn) {
    this.steps.push(fn);
  }
  async run() {
    if (this.done) return;
    this.done = true;
    for (const fn of this.steps.reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`cleanup: ${err && err.message ? err.message : err}`);
      }
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function git(cwd, args) {
  const r = spawnSync('git', ['-c', 'user.name=ReasoningBank Test', '-c', 'user.email=test@localhost', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh git repository holding the sample workspace (its failing test included). */
function makeSampleRepo(parent, name, extraFiles = {}) {
  const dir = path.join(parent, name);
  fs.cpSync(SAMPLE, dir, { recursive: true });
  for (const [rel, text] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'sample workspace']);
  return dir;
}

/** Folders that stand in for the user's home, so code-server writes nothing into the real one. */
function makeHomeDirs(base) {
  const dirs = {
    base,
    home: path.join(base, 'home'),
    userData: path.join(base, 'user-data'),
    extensions: path.join(base, 'extensions'),
    tmp: path.join(base, 'tmp'),
    xdgConfig: path.join(base, 'home', '.config'),
    xdgData: path.join(base, 'home', '.local', 'share'),
    xdgCache: path.join(base, 'home', '.cache'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

function writeUserSettings(dirs, settings) {
  const file = path.join(dirs.userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}

function waitForHealth(url, timeoutMs) {
  const http = require('http');
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = http.get(url, (res) => {
        res.resume();
        if (res.statusCode === 200) return resolve();
        retry();
      });
      req.on('error', retry);
      req.setTimeout(2000, () => req.destroy());
    };
    const retry = () => {
      if (Date.now() > deadline) return reject(new Error(`code-server did not answer ${url} within ${timeoutMs / 1000} s`));
      setTimeout(attempt, 300);
    };
    attempt();
  });
}

/**
 * Starts code-server in its own process group (so stopping it reaches its extension hosts and the
 * engine processes they started) and resolves once /healthz answers.
 */
async function startCodeServer({ bin, dirs, env = {}, logFile, trust = false, folder, args: extraArgs = [] }) {
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const childEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    ...env,
  };
  // the user's real keys must not reach the tests' engine
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'REASONINGBANK_MODEL', 'REASONINGBANK_EMBEDDING_MODEL']) if (!(k in env)) delete childEnv[k];
  const out = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, { env: childEnv, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, host: `127.0.0.1:${port}`, child, stop };
}

/**
 * Installs the scripted vscode.lm provider into the host's extensions folder (packaged with vsce; the web
 * workbench keeps only one extensionDevelopmentPath, the extension under test).
 */
function installLmProvider({ bin, dirs }) {
  const vsix = path.join(dirs.tmp, 'scripted-lm.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce');
  const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: LM_PROVIDER_DIR, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`packaging ${LM_PROVIDER_DIR} failed: ${pack.stderr || pack.stdout}`);
  const install = spawnSync(bin, ['--install-extension', vsix, '--force', '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, XDG_CACHE_HOME: dirs.xdgCache, TMPDIR: dirs.tmp },
  });
  if (install.status !== 0) throw new Error(`code-server could not install the scripted vscode.lm provider: ${install.stderr || install.stdout}`);
}

function workbenchUrl(host, folder, payload) {
  const q = [`folder=${encodeURIComponent(folder)}`];
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://${host}/?${q.join('&')}`;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

module.exports = { ROOT, SAMPLE, LM_PROVIDER_DIR, LM_PROVIDER_ID, LM_PROVIDER_ARGS, installLmProvider, log, Cleanup, freePort, git, makeSampleRepo, makeHomeDirs, writeUserSettings, startCodeServer, workbenchUrl, CHROMIUM_ARGS };
