// Browser smoke test of the Copilot-style route, as a person meets it: the workspace is set to provider
// "vscode-lm" with a model nobody offers (NO_SUCH_MODEL), so "Solve with memory" stops before asking for
// the issue and offers "Select language model"; the picker lists the scripted provider's models (lm-provider/), one is picked,
// and "Solve with memory" then runs once through vscode.lm. Screenshots go to test-results/.
'use strict';
const fs = require('fs');
const path = require('path');
const { workbenchUrl, ROOT, log } = require('./host');
const { palette, startSolve, ISSUE } = require('./smoke');

const NO_SUCH_MODEL = 'not-installed-family';
const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

async function smokeVscodeLm({ browser, host, workspace, results, llm }) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const shot = async (name) => {
    await page.screenshot({ path: path.join(results, name) });
    out.screenshots.push(name);
  };
  const out = { screenshots: [] };
  const viaLm = () => llm.requests.filter((r) => String(r.body?.model ?? '').startsWith('vscode-lm/'));
  try {
    const payload = [['extensionDevelopmentPath', `vscode-remote://${host}${ROOT}`]];
    await page.goto(workbenchUrl(host, workspace, payload));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60000 });
    // the extension's contributions reach the palette once its container shows in the activity bar
    await page.locator('.part.activitybar [aria-label^="ReasoningBank"]').first().waitFor({ state: 'visible', timeout: 60000 });
    await page.waitForTimeout(2000);

    // no model matches: Solve says so (with the way out) before asking for the issue
    const atStart = viaLm().length;
    await palette(page, 'ReasoningBank: Solve with memory');
    const noModel = toast(page, `no VS Code language model with family or id "${NO_SUCH_MODEL}"`);
    await noModel.waitFor({ state: 'visible', timeout: 30000 });
    if (await page.locator('.quick-input-widget', { hasText: 'describe the issue' }).isVisible()) throw new Error('the issue was asked for although no model matched');
    await page.waitForTimeout(600); // the toast slides in
    await shot('vscode-lm-no-model.png');
    if (viaLm().length > atStart) throw new Error('a model request went out although no model matched');
    await noModel.getByRole('button', { name: 'Select language model' }).click();

    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scripted (tools)' }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scripted mini' }).first().waitFor({ state: 'visible', timeout: 5000 });
    await shot('vscode-lm-model-picker.png');
    await row.click();
    await toast(page, 'using Scripted (tools)').waitFor({ state: 'visible', timeout: 15000 });
    const settings = JSON.parse(fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8'));
    if (settings['reasoningBank.model'] !== 'scripted') throw new Error(`the pick was not written to the workspace settings: ${JSON.stringify(settings)}`);

    const before = viaLm().length;
    await startSolve(page, ISSUE);
    await toast(page, 'ReasoningBank: resolved').waitFor({ state: 'visible', timeout: 180000 });
    out.requestsViaVscodeLm = viaLm().length - before;
    if (out.requestsViaVscodeLm < 4) throw new Error(`only ${out.requestsViaVscodeLm} model requests came through vscode.lm`);
    await shot('vscode-lm-resolved.png');
    return out;
  } catch (err) {
    await page.screenshot({ path: path.join(results, 'smoke-vscode-lm-failure.png') }).catch(() => undefined);
    log('vscode-lm smoke failure screenshot: test-results/smoke-vscode-lm-failure.png');
    throw err;
  } finally {
    await context.close().catch(() => undefined);
  }
}

module.exports = { smokeVscodeLm, NO_SUCH_MODEL };
