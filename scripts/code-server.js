// Installs code-server (a real VS Code served to a browser) on demand into a cache folder outside the
// repository, so `npm ci` stays light and CI machines without a desktop VS Code can still run the
// extension in a real host. See shared/notes/real-vscode-host.md for why each step is needed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CODE_SERVER_VERSION = '4.100.3'; // newest release that runs on Node 20 (VS Code 1.100.3)
const RIPGREP_CACHE = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };
const BUILD_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev'];
const BROWSER_PACKAGES = ['chromium'];
const CHROMIUM = '/usr/bin/chromium';

function cacheRoot() {
  if (process.env.REASONINGBANK_CACHE) return process.env.REASONINGBANK_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'reasoningbank-vscode');
}

function installDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerBin() {
  return path.join(installDir(), 'node_modules', '.bin', 'code-server');
}

function log(msg) {
  process.stderr.write(`[code-server] ${msg}\n`);
}

function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs missing Debian packages when running as root; otherwise says exactly what to run. */
function ensureDebianPackages(packages) {
  if (process.platform !== 'linux' || spawnSync('which', ['dpkg-query']).status !== 0) return;
  const missing = packages.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  const line = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them with:\n  sudo ${line}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const up = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (up.status !== 0) throw new Error(`apt-get update failed (exit ${up.status})`);
  const inst = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (inst.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed (exit ${inst.status}). Run: ${line}`);
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless its cache already
 * holds the archive; any tar.gz with an `rg` binary at its root satisfies it.
 */
function seedRipgrepCache(tmpDir) {
  const cacheDir = path.join(tmpDir, RIPGREP_CACHE.dir);
  const archive = path.join(cacheDir, RIPGREP_CACHE.file);
  if (fs.existsSync(archive)) return;
  let rg = spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) {
    ensureDebianPackages(['ripgrep']);
    rg = spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout.trim();
  }
  if (!rg) throw new Error('ripgrep (rg) is needed to install code-server offline: apt-get install ripgrep');
  fs.mkdirSync(cacheDir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(tmpDir, 'rg-stage-'));
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const tar = spawnSync('tar', ['-czf', archive, '-C', stage, 'rg'], { stdio: 'inherit' });
  fs.rmSync(stage, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error('could not create the ripgrep cache archive');
}

/** Returns the path of the code-server binary, installing it (and what it needs) when absent. */
function ensureCodeServer() {
  const bin = codeServerBin();
  if (fs.existsSync(bin)) return bin;
  ensureDebianPackages([...BUILD_PACKAGES, 'ripgrep']);
  const dir = installDir();
  fs.mkdirSync(dir, { recursive: true });
  const tmpDir = path.join(cacheRoot(), 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  seedRipgrepCache(tmpDir);
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }) + '\n');
  }
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about 80 s the first time)`);
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_yes: 'true', // node-pty's build calls `npx node-gyp`; the machine's npmrc says yes=false
    npm_config_nodedir: process.env.npm_config_nodedir || (fs.existsSync('/usr/include/node/node.h') ? '/usr' : ''),
  };
  if (!env.npm_config_nodedir) delete env.npm_config_nodedir;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--no-save', '--unsafe-perm', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`],
    { stdio: 'inherit', env, cwd: dir },
  );
  if (r.status !== 0 || !fs.existsSync(bin)) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); see the output above`);
  }
  return bin;
}

/** Returns the chromium binary for headless runs, installing Debian's chromium as root when absent. */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  if (!fs.existsSync(CHROMIUM)) ensureDebianPackages(BROWSER_PACKAGES);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}; install it (apt-get install chromium) or set CHROMIUM_PATH`);
  return CHROMIUM;
}

module.exports = { CODE_SERVER_VERSION, ensureCodeServer, ensureChromium, ensureDebianPackages, codeServerBin, cacheRoot };

if (require.main === module) {
  try {
    const bin = ensureCodeServer();
    const browser = process.argv.includes('--with-browser') ? ensureChromium() : null;
    process.stdout.write(JSON.stringify({ codeServer: bin, chromium: browser, version: CODE_SERVER_VERSION }) + '\n');
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
