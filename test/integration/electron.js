#!/usr/bin/env node
// The same in-host suite on desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (CI here uses code-server: `npm run test:integration`). Needs the scripted model
// server too, so it starts one and hands its URL to the host through user settings.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { makeSampleRepo, writeUserSettings, makeHomeDirs, ROOT, LM_PROVIDER_DIR, LM_PROVIDER_ARGS } = require('./host');

async function main() {
  const { runTests } = require('@vscode/test-electron');
  require('tsx/cjs');
  const { startScriptedLlm } = require('./scripted-llm.ts');
  const esbuild = require('esbuild');
  const suite = path.join(ROOT, 'out', 'integration', 'index.js');
  esbuild.buildSync({ entryPoints: [path.join(__dirname, 'suite', 'index.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', external: ['vscode', 'mocha'], sourcemap: 'inline' });
  const llm = await startScriptedLlm();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-electron-'));
  try {
    const dirs = makeHomeDirs(base);
    writeUserSettings(dirs, { 'reasoningBank.baseUrl': llm.url, 'reasoningBank.model': 'scripted', 'reasoningBank.commandApproval': 'auto', 'workbench.startupEditor': 'none' });
    const workspace = makeSampleRepo(base, 'suite-workspace');
    await runTests({
      version: process.env.VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: [ROOT, LM_PROVIDER_DIR],
      extensionTestsPath: suite,
      launchArgs: [workspace, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-workspace-trust', '--disable-extensions', ...LM_PROVIDER_ARGS],
      extensionTestsEnv: { RB_REPO_ROOT: ROOT, RB_TEST_RESULTS: path.join(ROOT, 'test-results'), RB_SCRIPTED_LLM_URL: llm.url },
    });
  } finally {
    await llm.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
