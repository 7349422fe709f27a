// Browser smoke test of the Copilot-style route: in a workspace set to provider "vscode-lm", pick the
// model with "Select language model…" from the command palette, then run "Solve with memory" once; the
// scripted provider extension (lm-provider/) answers through vscode.lm. Screenshots go to test-results/.
'use strict';
const path = require('path');
const { workbenchUrl, ROOT, log } = require('./host');
const { palette, startSolve, ISSUE } = require('./smoke');

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

    await palette(page, 'ReasoningBank: Select language model…');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scripted (tools)' }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scripted mini' }).first().waitFor({ state: 'visible', timeout: 5000 });
    await shot('vscode-lm-model-picker.png');
    await row.click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'using Scripted (tools)' }).waitFor({ state: 'visible', timeout: 15000 });

    const before = viaLm().length;
    await startSolve(page, ISSUE);
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'ReasoningBank: resolved' });
    await done.waitFor({ state: 'visible', timeout: 180000 });
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

module.exports = { smokeVscodeLm };
