// Browser smoke test, second part: Scale ×3 started from the Run view's "…" menu, with one passing, one
// failing and one empty attempt (the scripted model's MIXED marker). Checks what a person sees: the chosen
// card says why, each card shows only its own steps, Apply from the diff editor's title bar lands the patch,
// and the Problems panel stays empty afterwards. Screenshots go to test-results/.
'use strict';
const fs = require('fs');
const path = require('path');

async function answerApprovals(page, until, timeoutMs, out) {
  const allow = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow once' });
  const deadline = Date.now() + timeoutMs;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    if (await allow.isVisible()) {
      await allow.click();
      out.approvals++;
    }
    await page.waitForTimeout(250);
  }
}

async function scaleSmoke({ page, shot, palette, workspace, out }) {
  const { MIXED_MARKER } = require('./scripted-llm.ts');
  const runFrame = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  await palette(page, 'Notifications: Clear All Notifications');

  // the Run view's "…" menu: VS Code passes its own argument to the command from there (fix 2)
  const runPane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Run/ }) }).first();
  await runPane.locator('.pane-header').hover();
  await runPane.locator('.pane-header .actions [aria-label="More Actions..."], .pane-header .actions .codicon-toolbar-more').first().click();
  const item = page.getByRole('menuitem', { name: /Scale ×k/ }).first();
  await item.waitFor({ state: 'visible', timeout: 10000 });
  await item.hover();
  await page.keyboard.press('Enter');

  // the default k is highlighted: Enter takes ×3; then Parallel
  const kPick = page.locator('.quick-input-widget', { hasText: 'how many attempts' });
  await kPick.waitFor({ state: 'visible', timeout: 15000 });
  const active = await kPick.locator('.monaco-list-row.focused').first().innerText();
  if (!/×3/.test(active)) throw new Error(`the k picker highlights "${active}", not the default ×3`);
  await page.keyboard.press('Enter');
  const modePick = page.locator('.quick-input-widget', { hasText: 'mode' });
  await modePick.waitFor({ state: 'visible', timeout: 15000 });
  await page.keyboard.press('Enter');
  const issueBox = page.locator('.quick-input-widget', { hasText: 'describe the issue' });
  await issueBox.waitFor({ state: 'visible', timeout: 15000 });
  await issueBox.locator('input.input').fill(`${MIXED_MARKER}: cartTotal(items, 10) must subtract 10 percent of the sum. Make npm test pass.`);
  await issueBox.locator('input.input').press('Enter');

  const finished = runFrame.locator('section.header .badge', { hasText: /^(resolved|unresolved|error)$/ });
  await answerApprovals(page, async () => (await runFrame.locator('section.header .meta', { hasText: '×3 parallel' }).count()) > 0 && (await finished.count()) > 0, 240000, out);
  const phase = await finished.first().innerText();
  if (phase !== 'resolved') throw new Error(`the ×3 run ended ${phase}: ${await runFrame.locator('section.header').innerText()}`);

  // the chosen card says why
  const cards = runFrame.locator('.attempts .card');
  if ((await cards.count()) !== 3) throw new Error(`expected 3 attempt cards, found ${await cards.count()}`);
  const chosen = runFrame.locator('.attempts .card.chosen');
  const why = await chosen.locator('.why').innerText();
  if (!/the only attempt whose tests pass/.test(why)) throw new Error(`the chosen card says "${why}"`);
  const texts = await cards.allInnerTexts();
  out.cards = texts.map((t) => t.replace(/\s+/g, ' ').trim());
  if (!texts.some((t) => /no changes/.test(t))) throw new Error(`no card shows the empty attempt: ${out.cards.join(' | ')}`);
  if (!texts.some((t) => /unresolved/.test(t) && /Apply anyway/.test(t))) throw new Error(`no card offers the failing attempt with a warning: ${out.cards.join(' | ')}`);
  await shot('scale-run-view.png');
  out.screenshots.push('scale-run-view.png');

  // each card shows only its own steps
  for (let i = 0; i < 3; i++) {
    const card = cards.nth(i);
    const index = await card.getAttribute('data-attempt');
    await card.click({ position: { x: 8, y: 8 } });
    const steps = runFrame.locator(`section.steps[data-attempt="${index}"]`);
    await steps.waitFor({ state: 'visible', timeout: 10000 });
    const foreign = await steps.locator(`[data-attempt]:not([data-attempt="${index}"])`).count();
    if (foreign) throw new Error(`attempt #${Number(index) + 1}'s timeline shows ${foreign} steps of other attempts`);
    const own = await steps.locator(`[data-attempt="${index}"]`).count();
    if (!own) throw new Error(`attempt #${Number(index) + 1}'s timeline is empty`);
    const text = await steps.innerText();
    const cardText = await card.innerText();
    if (/no changes/.test(cardText) && /edit_file/.test(text)) throw new Error('the empty attempt shows an edit from another attempt');
    if (i === 1) {
      await steps.locator('h3').scrollIntoViewIfNeeded();
      await shot('scale-attempt-steps.png');
      out.screenshots.push('scale-attempt-steps.png');
    }
  }

  // the failing attempt's "Test output" link opens what its tests printed, read-only
  const failingCard = cards.filter({ hasText: 'unresolved' }).filter({ hasNotText: 'no changes' }).first();
  const failingIndex = await failingCard.getAttribute('data-attempt');
  await failingCard.locator('a.test-output', { hasText: 'Test output' }).click();
  const outputTab = page.locator('.tabs-container .tab.active', { hasText: `attempt-${failingIndex}.tests.txt` });
  await outputTab.waitFor({ state: 'visible', timeout: 15000 });
  const outputEditor = page.locator('.editor-instance .monaco-editor').first();
  await outputEditor.locator('.view-lines', { hasText: 'test run: command' }).waitFor({ state: 'visible', timeout: 15000 });
  // the editor draws spaces as no-break spaces
  const linesText = async () => (await outputEditor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  const shown = await linesText();
  if (!/exit code [1-9]/.test(shown) || !/fail/i.test(shown)) throw new Error(`the test output editor shows: ${shown.slice(0, 500)}`);
  await outputEditor.locator('.view-lines').click();
  await page.keyboard.type('typed by a person');
  await page.waitForTimeout(500);
  if (/typed by a person/.test(await linesText())) throw new Error('the test output editor took an edit: it is not read-only');
  await shot('test-output.png');
  out.screenshots.push('test-output.png');
  out.testOutput = { attempt: Number(failingIndex), firstLine: shown.split('\n')[0] };
  await palette(page, 'View: Close All Editors');

  // a failing attempt goes in only after a warning; Escape keeps the working tree as it was
  const cartPath = path.join(workspace, 'src', 'cart.js');
  const cartBefore = fs.readFileSync(cartPath, 'utf8');
  await runFrame.locator('.attempts .card button', { hasText: 'Apply anyway…' }).first().click();
  const warning = page.locator('.monaco-dialog-box', { hasText: 'did not resolve the issue' });
  await warning.waitFor({ state: 'visible', timeout: 15000 });
  await shot('apply-failing-warning.png');
  out.screenshots.push('apply-failing-warning.png');
  await page.keyboard.press('Escape');
  await warning.waitFor({ state: 'detached', timeout: 10000 });
  await page.waitForTimeout(1000);
  if (fs.readFileSync(cartPath, 'utf8') !== cartBefore) throw new Error('declining the warning still changed src/cart.js');

  // Review the chosen attempt, then Apply from the diff editor's title bar
  await chosen.locator('button', { hasText: 'Review diff' }).click();
  await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30000 });
  const applyAction = page.locator('.editor .title-actions [aria-label^="Apply patch"], .editor-actions [aria-label^="Apply patch"]').first();
  await applyAction.waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForTimeout(500);
  await shot('diff-title-actions.png');
  out.screenshots.push('diff-title-actions.png');
  await applyAction.click();
  const cart = path.join(workspace, 'src', 'cart.js');
  const deadline = Date.now() + 30000;
  while (!/sum - \(sum \* discountPercent\) \/ 100/.test(fs.readFileSync(cart, 'utf8'))) {
    if (Date.now() > deadline) throw new Error('Apply from the diff title bar did not change src/cart.js');
    await page.waitForTimeout(250);
  }
  await page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: 15000 });
  await runFrame.locator('.badge', { hasText: /^applied attempt #\d$/ }).first().waitFor({ state: 'visible', timeout: 15000 });

  // no diagnostics after Apply (the reviewed diff used to leave syntax errors behind)
  await page.waitForTimeout(3000);
  await palette(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const panel = page.locator('.part.panel');
  await panel.waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForTimeout(1000);
  await shot('after-apply-problems.png');
  out.screenshots.push('after-apply-problems.png');
  const problems = await panel.innerText();
  if (!/No problems have been detected/i.test(problems)) throw new Error(`the Problems panel is not empty after Apply: ${problems.slice(0, 500)}`);
  out.scale = { chosenWhy: why, applied: true };
  await multiFileSmoke({ page, shot, palette, workspace, out, runFrame });
}

/** A patch of two files opens in VS Code's multi-file diff editor, whose title bar has our Apply / Apply Part / Discard. */
async function multiFileSmoke({ page, shot, palette, workspace, out, runFrame }) {
  const { TWO_FILES_MARKER } = require('./scripted-llm.ts');
  const { git } = require('./host');
  git(workspace, ['checkout', '--', 'src/cart.js']);
  await palette(page, 'Notifications: Clear All Notifications');
  await palette(page, 'ReasoningBank: Solve with memory');
  const issueBox = page.locator('.quick-input-widget', { hasText: 'describe the issue' });
  await issueBox.waitFor({ state: 'visible', timeout: 15000 });
  await issueBox.locator('input.input').fill(`${TWO_FILES_MARKER}: cartTotal(items, 10) must subtract 10 percent of the sum; note it in a changelog.`);
  await issueBox.locator('input.input').press('Enter');
  const header = runFrame.locator('section.header');
  await answerApprovals(page, async () => /TWO-FILES/.test(await header.innerText().catch(() => '')) && (await header.locator('.badge', { hasText: /^(resolved|unresolved|error)$/ }).count()) > 0, 180000, out);
  await runFrame.locator('section.header button', { hasText: 'Review diff' }).click();
  const discard = page.locator('.editor .title-actions [aria-label^="Discard patch"], .editor-actions [aria-label^="Discard patch"]').first();
  await discard.waitFor({ state: 'visible', timeout: 30000 });
  const tab = await page.locator('.tabs-container .tab.active').innerText();
  if (!/ReasoningBank attempt #1/.test(tab)) throw new Error(`the active editor is "${tab}", not the multi-file diff`);
  if ((await page.locator('.editor .title-actions [aria-label^="Apply patch"], .editor-actions [aria-label^="Apply patch"]').count()) === 0) throw new Error('no Apply in the multi-file diff editor\'s title bar');
  if ((await page.locator('.editor .title-actions [aria-label^="Apply Part of Patch"], .editor-actions [aria-label^="Apply Part of Patch"]').count()) === 0) throw new Error('no Apply Part in the multi-file diff editor\'s title bar');
  await page.waitForTimeout(1000);
  await shot('multi-file-diff.png');
  out.screenshots.push('multi-file-diff.png');
  await discard.click();
  await runFrame.locator('.badge', { hasText: 'discarded' }).first().waitFor({ state: 'visible', timeout: 15000 });
  out.multiFile = { tab: tab.trim(), discarded: true };
}

module.exports = { scaleSmoke };
