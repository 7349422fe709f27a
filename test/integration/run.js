#!/usr/bin/env node
// `npm run test:integration`: the extension in a real VS Code host (code-server, installed on demand)
// driven by Debian's chromium. Phase 1 runs the in-host mocha suite (suite/) through the payload /
// codeAutomationExit hook; phase 2 is a browser smoke test (smoke.js) that uses the command palette like
// a person and saves screenshots under test-results/. Exits non-zero on any failure; everything started
// here is stopped on every exit path.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { spawnSync } = require('child_process');
const { ROOT, log, Cleanup, makeSampleRepo, makeHomeDirs, writeUserSettings, startCodeServer, workbenchUrl, installLmProvider, LM_PROVIDER_ARGS, CHROMIUM_ARGS } = require('./host');
const { ensureCodeServer, ensureChromium } = require('../../scripts/code-server');

const RESULTS = path.join(ROOT, 'test-results');
const SUITE_TIMEOUT_MS = Number(process.env.RB_SUITE_TIMEOUT_MS || 10 * 60 * 1000);
const only = process.argv.includes('--suite-only') ? 'suite' : process.argv.includes('--smoke-only') ? 'smoke' : null;

const cleanup = new Cleanup();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    cleanup.run().finally(() => process.exit(130));
  });
}

function ensureBuilt() {
  const needed = ['dist/extension.js', 'dist/server.js', 'dist/sql-wasm.wasm'].map((f) => path.join(ROOT, f));
  if (!process.argv.includes('--build') && needed.every((f) => fs.existsSync(f))) return;
  log('building (node esbuild.js)');
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed: run `npm run build` and fix its errors');
}

/** The in-host suite is TypeScript; bundle it (vscode and mocha stay external: the host and node_modules provide them). */
function bundleSuite() {
  const esbuild = require('esbuild');
  const outfile = path.join(ROOT, 'out', 'integration', 'index.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outfile;
}

async function runSuite({ browser, host, workspace }) {
  const suite = bundleSuite();
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${ROOT}`],
    ['extensionTestsPath', `vscode-remote://${host}${suite}`],
  ];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // the host forwards console calls as (format, ...values)
    process.stdout.write(`${util.format(...(Array.isArray(args) ? args : [args]))}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  const url = workbenchUrl(host, workspace, payload);
  log(`in-host suite: ${url.slice(0, 120)}…`);
  await page.goto(url);
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)));
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await page.screenshot({ path: path.join(RESULTS, 'suite-timeout.png') }).catch(() => undefined);
    await context.close().catch(() => undefined);
    throw new Error(`the in-host suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s (screenshot: test-results/suite-timeout.png)`);
  }
  await context.close().catch(() => undefined);
  return code;
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const bin = ensureCodeServer();
  const chromiumPath = ensureChromium();
  ensureBuilt();

  require('tsx/cjs');
  const { startScriptedLlm } = require('./scripted-llm.ts');
  const llm = await startScriptedLlm();
  cleanup.add(() => llm.stop());
  log(`scripted model at ${llm.url}`);

  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-integration-'));
  cleanup.add(() => fs.rmSync(base, { recursive: true, force: true }));
  const dirs = makeHomeDirs(path.join(base, 'host'));
  writeUserSettings(dirs, {
    'reasoningBank.baseUrl': llm.url,
    'reasoningBank.model': 'scripted',
    'reasoningBank.commandApproval': 'auto',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'git.autoRepositoryDetection': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
  });
  const suiteWs = makeSampleRepo(base, 'suite-workspace');
  const smokeWs = makeSampleRepo(base, 'smoke-workspace', {
    // the smoke test answers the approval modal like a person would
    '.vscode/settings.json': JSON.stringify({ 'reasoningBank.commandApproval': 'ask' }, null, 2) + '\n',
  });
  const smokeLmWs = makeSampleRepo(base, 'smoke-vscode-lm-workspace', {
    '.vscode/settings.json': JSON.stringify({ 'reasoningBank.provider': 'vscode-lm', 'reasoningBank.model': require('./smoke-vscode-lm').NO_SUCH_MODEL }, null, 2) + '\n',
  });

  installLmProvider({ bin, dirs });
  const codeServerLog = path.join(RESULTS, 'code-server.log');
  fs.writeFileSync(codeServerLog, '');
  const server = await startCodeServer({
    bin,
    dirs,
    logFile: codeServerLog,
    env: { RB_TEST_RESULTS: RESULTS, RB_REPO_ROOT: ROOT, RB_TEST_WORKSPACE: suiteWs, RB_SCRIPTED_LLM_URL: llm.url },
    args: LM_PROVIDER_ARGS,
  });
  cleanup.add(() => server.stop());
  log(`code-server at http://${server.host} (log: test-results/code-server.log)`);

  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  cleanup.add(() => browser.close());

  const summary = { startedAt: new Date(started).toISOString(), suite: null, smoke: null };
  let failed = false;
  if (only !== 'smoke') {
    const code = await runSuite({ browser, host: server.host, workspace: suiteWs });
    summary.suite = { exitCode: code };
    log(`in-host suite exit code ${code}`);
    if (code !== 0) failed = true;
  }
  if (only !== 'suite') {
    const { smoke } = require('./smoke');
    try {
      summary.smoke = await smoke({ browser, host: server.host, workspace: smokeWs, results: RESULTS, llm });
      log(`browser smoke test passed: ${JSON.stringify(summary.smoke)}`);
    } catch (err) {
      failed = true;
      summary.smoke = { error: err && err.message ? err.message : String(err) };
      log(`browser smoke test FAILED: ${summary.smoke.error}`);
    }
    const { smokeVscodeLm } = require('./smoke-vscode-lm');
    try {
      summary.smokeVscodeLm = await smokeVscodeLm({ browser, host: server.host, workspace: smokeLmWs, results: RESULTS, llm });
      log(`browser smoke test with provider vscode-lm passed: ${JSON.stringify(summary.smokeVscodeLm)}`);
    } catch (err) {
      failed = true;
      summary.smokeVscodeLm = { error: err && err.message ? err.message : String(err) };
      log(`browser smoke test with provider vscode-lm FAILED: ${summary.smokeVscodeLm.error}`);
    }
  }
  summary.seconds = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(path.join(RESULTS, 'integration-summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanup.run();
    log(code === 0 ? 'integration tests passed' : 'integration tests FAILED');
    process.exit(code);
  })
  .catch(async (err) => {
    log(`error: ${err && err.stack ? err.stack : err}`);
    await cleanup.run();
    process.exit(1);
  });
