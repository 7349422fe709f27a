// Browser smoke test, third part: a memory bank that git tracks, confirmed in the modal as a person would.
// The confirmation holds for that version: the next run (after the bank was written by the first) asks
// nothing; a new commit of the bank (what a pull brings) asks again, saying it changed, and declining
// runs nothing. Screenshots go to test-results/.
'use strict';
const path = require('path');
const { git } = require('./host');

const BANK = path.join('.reasoningbank', 'memory.sqlite');
// a refused run ends as "error" under the same issue; the confirmed rerun is the one to wait for
const FINISHED = /^(resolved|unresolved)$/;

/** answers approval modals until the run whose issue holds `tag` has ended; the trust modal must not come up */
async function finishRun(page, runFrame, tag, out) {
  const allow = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow once' });
  const trustModal = page.locator('.monaco-dialog-box', { hasText: 'memory bank' });
  const header = runFrame.locator('section.header');
  const deadline = Date.now() + 180000;
  for (;;) {
    const text = await header.innerText().catch(() => '');
    if (text.includes(tag) && (await header.locator('.badge', { hasText: FINISHED }).count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`the run "${tag}" did not end within 180 s: ${text}`);
    if (await trustModal.isVisible()) throw new Error(`the memory bank was asked about again during "${tag}": ${await trustModal.innerText()}`);
    if (await allow.isVisible()) {
      await allow.click();
      out.approvals++;
    }
    await page.waitForTimeout(250);
  }
}

async function trustSmoke({ page, shot, palette, startSolve, issue, workspace, llm, out }) {
  const runFrame = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  const commitBank = (message) => {
    git(workspace, ['add', '-f', '--', BANK]);
    git(workspace, ['commit', '-q', '-m', message, '--', BANK]);
  };
  commitBank('the bank comes with the repository');
  await palette(page, 'Notifications: Clear All Notifications');

  // first run: asked once, by name
  await startSolve(page, `${issue} (TRUST-FIRST)`);
  const ask = page.locator('.monaco-dialog-box', { hasText: 'Use the memory bank' });
  await ask.waitFor({ state: 'visible', timeout: 60000 });
  if (!/tracked by git/.test(await ask.innerText())) throw new Error(`the trust modal does not say why: ${await ask.innerText()}`);
  await shot('trust-modal.png');
  out.screenshots.push('trust-modal.png');
  await ask.getByRole('button', { name: 'Use this bank' }).click();
  await finishRun(page, runFrame, 'TRUST-FIRST', out);
  if (!git(workspace, ['status', '--porcelain', '--', BANK]).trim()) throw new Error('the run did not write the tracked bank');

  // our own writes are not another version: nothing is asked
  await startSolve(page, `${issue} (TRUST-SECOND)`);
  await finishRun(page, runFrame, 'TRUST-SECOND', out);

  // a pull brings another committed version: asked again, saying so; declined, nothing runs
  commitBank('another version of the bank');
  await palette(page, 'Notifications: Clear All Notifications');
  const chatsBefore = llm.chat().length;
  await startSolve(page, `${issue} (TRUST-THIRD)`);
  const again = page.locator('.monaco-dialog-box', { hasText: 'changed since you trusted it' });
  await again.waitFor({ state: 'visible', timeout: 60000 });
  await shot('trust-modal-changed.png');
  out.screenshots.push('trust-modal-changed.png');
  await page.keyboard.press('Escape');
  await again.waitFor({ state: 'detached', timeout: 10000 });
  const failed = page.locator('.notifications-toasts .notification-toast', { hasText: 'changed since it was trusted' });
  await failed.first().waitFor({ state: 'visible', timeout: 30000 });
  if (llm.chat().length !== chatsBefore) throw new Error('the model was called for a run with a bank nobody confirmed');
  out.trust = { asked: 2, keptAcrossOwnWrites: true, declinedChanged: true };
}

module.exports = { trustSmoke };
