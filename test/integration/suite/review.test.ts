import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SolveResult } from '../../../src/engine/types';
import type { ApplyPatchResult, SolveOutcome } from '../../../src/server/protocol';
import { approvalDetail } from '../../../src/extension/approval';
import { CHANGELOG, HANG_MARKER, MIXED_MARKER, TWO_FILES_MARKER } from '../scripted-llm';
import { openWalkthroughOnce } from '../../../src/extension/first-run';
import { splitPatch } from '../../../src/extension/diff-review';
import { patchParts } from '../../../src/engine/git/patch-parts';
import { partItem } from '../../../src/extension/commands/applyPart';
import { openTestOutput } from '../../../src/extension/test-output-doc';
import { api, extension, waitFor, workspaceDir } from './helpers';

const ISSUE = 'cartTotal(items, 10) returns 190 for a cart worth 200: the discount must be a percentage of the sum. Make npm test pass.';
const cartFile = () => path.join(workspaceDir(), 'src', 'cart.js');

function resetCart(): void {
  const r = spawnSync('git', ['checkout', '--', 'src/cart.js'], { cwd: workspaceDir(), encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
}

function patchTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'reasoningbank-patch');
}

function cartDiagnostics(): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics().flatMap(([uri, d]) => (uri.path.endsWith('cart.js') ? d : []));
}

/** accepts whatever quick input is showing, again and again, until `done` (a person pressing Enter) */
async function pressEnterUntil(done: () => boolean, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the run did not start');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 400));
  }
}

describe('review and apply', () => {
  before(async () => {
    resetCart();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  // every test starts from the buggy cart, whatever the one before it left behind
  afterEach(async () => {
    resetCart();
    fs.rmSync(path.join(workspaceDir(), 'CHANGELOG.md'), { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a diff whose patch no longer applies shows the file unchanged, never a message inside the code', async () => {
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: ISSUE })) as SolveResult;
    assert.strictEqual(out.status, 'resolved');
    const changed = fs.readFileSync(cartFile(), 'utf8').replace('return sum - discountPercent;', 'return sum - discountPercent; // changed by hand');
    fs.writeFileSync(cartFile(), changed);
    await vscode.commands.executeCommand('reasoningBank.reviewDiff');
    const tab = await waitFor('the diff tab', () => patchTabs()[0]);
    const after = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
    assert.strictEqual(after.getText(), changed);
    assert.doesNotMatch(after.getText(), /no longer applies/);
    await vscode.commands.executeCommand('reasoningBank.discardPatch');
    assert.strictEqual(patchTabs().length, 0, 'Discard closes the diff');
  });

  it('Apply from the diff editor title bar applies that attempt, closes the diff and leaves no diagnostics', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: ISSUE })) as SolveResult;
    assert.strictEqual(out.status, 'resolved');
    await vscode.commands.executeCommand('reasoningBank.reviewDiff');
    const tab = await waitFor('the diff tab', () => patchTabs()[0]);
    const modified = (tab.input as vscode.TabInputTextDiff).modified;
    // the title bar passes the editor's resource
    const applied = await vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPatch', modified);
    assert.deepStrictEqual(applied, { applied: true, files: ['src/cart.js'] });
    assert.match(fs.readFileSync(cartFile(), 'utf8'), /sum - \(sum \* discountPercent\) \/ 100/);
    assert.strictEqual(a.runs.last!.appliedAttempt, 0);
    await waitFor('the diff to close', () => patchTabs().length === 0, 10000);
    // give the language features time to report anything they would
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepStrictEqual(cartDiagnostics().map((d) => d.message), []);
  });

  it('a patch of two files opens in the multi-file diff editor, whose title bar applies it', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: `${TWO_FILES_MARKER}: ${ISSUE}` })) as SolveResult;
    assert.strictEqual(out.status, 'resolved', JSON.stringify(out).slice(0, 1500));
    const files = await vscode.commands.executeCommand<string[]>('reasoningBank.reviewDiff');
    assert.deepStrictEqual([...files].sort(), ['CHANGELOG.md', 'src/cart.js']);
    const tab = await waitFor('the multi-file diff tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.label.startsWith('ReasoningBank attempt #1') ? t : undefined;
    }).catch((err) => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${t.label}${t.isActive ? ' (active)' : ''}: ${(t.input as { constructor?: { name?: string } })?.constructor?.name}`));
      throw new Error(`${err.message}; tabs: ${JSON.stringify(tabs)}`);
    });
    assert.ok(!(tab.input instanceof vscode.TabInputTextDiff), 'one editor for both files, not a single-file diff');
    // the multi-file editor's title bar passes that editor's own resource, not one of ours
    const applied = await vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPatch', vscode.Uri.parse('multi-diff-editor:1234'));
    assert.strictEqual(applied.applied, true);
    assert.deepStrictEqual([...applied.files].sort(), ['CHANGELOG.md', 'src/cart.js']);
    assert.strictEqual(fs.readFileSync(path.join(workspaceDir(), 'CHANGELOG.md'), 'utf8'), CHANGELOG);
    assert.strictEqual(a.runs.last!.appliedAttempt, 0);
    await waitFor('the multi-file diff to close', () => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label.startsWith('ReasoningBank attempt #1'))), 10000);
  });

  it('Apply Part applies only the chosen file of a two-file patch, records the run as applied in part and closes the diffs', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: `${TWO_FILES_MARKER}: ${ISSUE}` })) as SolveResult;
    assert.strictEqual(out.status, 'resolved', JSON.stringify(out).slice(0, 1500));
    const cartBefore = fs.readFileSync(cartFile(), 'utf8');
    await vscode.commands.executeCommand('reasoningBank.reviewDiff');
    await waitFor('the review to open', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label.startsWith('ReasoningBank attempt #1'))) || patchTabs().length > 0);
    const parts = patchParts(a.runs.last!.attempts[0]!.patch);
    assert.deepStrictEqual([...new Set(parts.map((p) => p.file))].sort(), ['CHANGELOG.md', 'src/cart.js']);
    // nothing chosen: nothing applied, and the run still has its patch to apply
    assert.deepStrictEqual(await vscode.commands.executeCommand('reasoningBank.applyPart', { attempt: 0, parts: [] }), { applied: false, files: [] });
    assert.strictEqual(a.runs.last!.applied, false);
    const changelog = parts.filter((p) => p.file === 'CHANGELOG.md').map((p) => p.id);
    const applied = await vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPart', { attempt: 0, parts: changelog });
    assert.deepStrictEqual(applied, { applied: true, files: ['CHANGELOG.md'], partial: true });
    assert.strictEqual(fs.readFileSync(path.join(workspaceDir(), 'CHANGELOG.md'), 'utf8'), CHANGELOG);
    assert.strictEqual(fs.readFileSync(cartFile(), 'utf8'), cartBefore, 'the part left out stays out');
    assert.strictEqual(a.runs.last!.appliedAttempt, 0);
    assert.strictEqual(a.runs.last!.appliedPartially, true);
    await waitFor('the diffs to close', () => patchTabs().length === 0 && !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label.startsWith('ReasoningBank attempt #1'))), 10000);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reasoningBank.applyPatch', { attempt: 0 })), /already applied \(attempt #1, in part\)/);
  });

  it('Apply Part from the palette offers every part picked; accepting them all applies the whole patch', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: ISSUE })) as SolveResult;
    assert.strictEqual(out.status, 'resolved');
    const pending = Promise.resolve(vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPart'));
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Enter on the parts picker, where every part starts picked
    await pressEnterUntil(() => settled);
    assert.deepStrictEqual(await pending, { applied: true, files: ['src/cart.js'] });
    assert.match(fs.readFileSync(cartFile(), 'utf8'), /sum - \(sum \* discountPercent\) \/ 100/);
    assert.strictEqual(a.runs.last!.appliedPartially, false);
  });

  it('×3 with a passing, a failing and an empty attempt: the passing one is chosen, and the result says why', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.scale', { issue: `${MIXED_MARKER}: ${ISSUE}`, k: 3 })) as SolveResult;
    assert.strictEqual(out.status, 'resolved', JSON.stringify(out).slice(0, 1500));
    const run = a.runs.last!;
    const byStatus = run.attempts.map((x) => `${x.status}:${x.patch.trim() ? 'patch' : 'empty'}`).sort();
    assert.deepStrictEqual(byStatus, ['resolved:patch', 'unresolved:empty', 'unresolved:patch']);
    assert.strictEqual(run.attempts.find((x) => x.index === out.chosen)!.status, 'resolved');
    assert.strictEqual(run.chosenReason, 'the only attempt whose tests pass');
    // each attempt's events carry its index, so the run view can show one attempt's timeline at a time
    for (const x of run.attempts) {
      const calls = run.events.filter((e) => e.type === 'tool-call' && e.attempt === x.index).map((e) => (e as { name: string }).name);
      if (!x.patch.trim()) assert.ok(!calls.includes('edit_file'), `the empty attempt #${x.index + 1} made no edit`);
      else assert.ok(calls.includes('edit_file'), `attempt #${x.index + 1} has its own edit`);
    }
    // applying a non-chosen attempt is recorded as that attempt
    const failing = run.attempts.find((x) => x.status === 'unresolved' && x.patch.trim())!;
    const applied = await vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPatch', { attempt: failing.index });
    assert.strictEqual(applied.applied, true);
    assert.strictEqual(a.runs.last!.appliedAttempt, failing.index);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reasoningBank.applyPatch', { attempt: out.chosen })), new RegExp(`already applied \\(attempt #${failing.index + 1}\\)`));
  });

  it('an attempt\'s test output opens read-only from the run record; a path outside it is refused', async () => {
    const a = await api();
    const out = (await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: ISSUE })) as SolveResult;
    assert.strictEqual(out.status, 'resolved');
    const file = out.attempts[0]!.testOutput!;
    assert.strictEqual(file, path.join(out.runDir!, 'attempt-0.tests.txt'));
    // the command's promise can settle a moment before the run state records the finished run
    await waitFor('the run state to hold this run', () => a.runs.last?.runId === out.runId);
    assert.strictEqual(a.runs.last!.attempts[0]!.testOutput, file, 'the run view knows the file');
    const editor = await openTestOutput(file, workspaceDir());
    assert.strictEqual(editor.document.uri.scheme, 'reasoningbank-test-output');
    assert.strictEqual(editor.document.getText(), fs.readFileSync(file, 'utf8'));
    assert.match(editor.document.getText(), /^test run: command "[^"]+", exit code 0, /);
    // a content provider's document: the editor is read-only (the browser smoke test types into it)
    assert.strictEqual(editor.document.isUntitled, false);
    // what a hostile page or link might ask for
    await assert.rejects(openTestOutput('/etc/passwd', workspaceDir()), /not opening/);
    await assert.rejects(openTestOutput(path.join(out.runDir!, 'result.json'), workspaceDir()), /not opening/);
    const planted = vscode.Uri.from({ scheme: 'reasoningbank-test-output', path: '/x/attempt-0.tests.txt', query: new URLSearchParams({ file: '/etc/passwd' }).toString() });
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(planted)));
  });

  it('Scale from a menu (VS Code passes its own argument) asks, preselects the default k and keeps a multi-line selection; a cancelled run\'s attempts say so', async () => {
    const a = await api();
    const issue = `${HANG_MARKER}: the discount\nis a percentage,\nnot an amount`;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${issue}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 13);
    // a view's title menu passes a context object without any solve field
    const pending = Promise.resolve(vscode.commands.executeCommand<SolveOutcome>('reasoningBank.scale', { $mid: 1 }));
    // Enter on the k picker (default highlighted), on "Parallel", on "Use the selected text as the issue"
    await pressEnterUntil(() => !!a.runs.active);
    const run = a.runs.active!;
    assert.strictEqual(run.k, 3, 'the default k (reasoningBank.k = 3) was highlighted');
    assert.strictEqual(run.mode, 'parallel');
    assert.strictEqual(run.issue, issue, 'the selection keeps its line breaks');
    await waitFor('the attempts to start', () => a.runs.active && a.runs.active.attempts.length === 3, 60000);
    assert.strictEqual(await vscode.commands.executeCommand('reasoningBank.cancel'), true);
    await pending;
    const last = a.runs.last!;
    assert.strictEqual(last.phase, 'cancelled');
    assert.deepStrictEqual(last.attempts.map((x) => x.status), ['cancelled', 'cancelled', 'cancelled']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the approval modal says the test command runs on its own', () => {
    assert.match(approvalDetail('curl x', 'npm test'), /"npm test" .* runs on its own before and after each attempt/);
    assert.match(approvalDetail('npm test', 'npm test'), /also the test command.*whatever you answer/);
    assert.doesNotMatch(approvalDetail('npm test', undefined), /test command/);
  });
});

describe('what the diff cannot show', () => {
  it('marks binary and mode-only changes, which Apply writes though the text diff shows nothing', () => {
    const patch = [
      'diff --git a/src/data.bin b/src/data.bin',
      'index 1111111..2222222 100644',
      'GIT binary patch',
      'literal 4',
      'LcmZ?wbY@^+00000',
      '',
      'literal 4',
      'LcmZ?wbY@^+00000',
      '',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/src/cart.js b/src/cart.js',
      '--- a/src/cart.js',
      '+++ b/src/cart.js',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '',
    ].join('\n');
    const files = splitPatch(patch);
    assert.deepStrictEqual(
      files.map((f) => [f.file, f.opaque]),
      [['src/data.bin', true], ['run.sh', true], ['src/cart.js', false]],
    );
  });
});

describe('the parts picker', () => {
  it('shows a file name or a changed line from the attempt as text, never as icons or extra lines', () => {
    const patch = [
      'diff --git "a/$(check) ok\\n.txt" "b/$(check) ok\\n.txt"',
      'index 1111111..2222222 100644',
      '--- "a/$(check) ok\\n.txt"',
      '+++ "b/$(check) ok\\n.txt"',
      '@@ -1 +1 @@',
      '-$(pass) old',
      '+new',
      '',
    ].join('\n');
    const [part] = patchParts(patch);
    assert.strictEqual(part!.file, '$(check) ok\n.txt');
    const item = partItem(part!);
    assert.strictEqual(item.label, '$\u200b(check) ok .txt');
    assert.strictEqual(item.description, '@@ -1 +1 @@');
    assert.strictEqual(item.detail, '$\u200b(pass) old');
    assert.strictEqual(item.picked, true);
    // a new symbolic link is named as one and left for the person to pick
    const link = partItem({ id: '1', file: 'link', kind: 'new', symlink: true });
    assert.deepStrictEqual([link.description, link.picked], ['new symbolic link · taken whole', false]);
  });
});

describe('first run', () => {
  /** a globalState of our own, so the test does not depend on whether this profile ran the extension before */
  function freshContext(): vscode.ExtensionContext {
    const state = new Map<string, unknown>();
    const globalState = { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v), keys: () => [...state.keys()] };
    return { globalState, extension: extension() } as unknown as vscode.ExtensionContext;
  }

  it('opens the walkthrough once, unless walkthroughs are not to open on install', async () => {
    const config = vscode.workspace.getConfiguration('workbench.welcomePage');
    const before = config.inspect<boolean>('walkthroughs.openOnInstall');
    try {
      await config.update('walkthroughs.openOnInstall', false, vscode.ConfigurationTarget.Global);
      assert.strictEqual(await openWalkthroughOnce(freshContext()), false);
      await config.update('walkthroughs.openOnInstall', true, vscode.ConfigurationTarget.Global);
      const ctx = freshContext();
      assert.strictEqual(await openWalkthroughOnce(ctx), true);
      const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
      await waitFor(`the walkthrough tab (tabs: ${JSON.stringify(labels())})`, () => labels().some((l) => /Walkthrough|Welcome|Get started/i.test(l)), 15000).catch((err) => {
        throw new Error(`${err.message}; tabs now: ${JSON.stringify(labels())}`);
      });
      assert.strictEqual(await openWalkthroughOnce(ctx), false, 'only once');
    } finally {
      await config.update('walkthroughs.openOnInstall', before?.globalValue, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});

describe('run state from engine events', () => {
  it('keeps the sandbox and the test command the engine reports on run-start', async () => {
    const a = await api();
    const ticket = 'sandbox-check';
    a.runs.begin({ ticket, issue: 'x', folder: workspaceDir(), k: 1, mode: 'single' });
    a.runs.event(ticket, { type: 'run-start', runId: 'r1', task: 'x', k: 1, mode: 'single', repo: workspaceDir(), sandbox: { kind: 'bwrap', network: 'off' }, testCommand: 'npm test' });
    assert.deepStrictEqual(a.runs.last!.sandbox, { kind: 'bwrap', network: 'off' });
    assert.strictEqual(a.runs.last!.testCommand, 'npm test', 'known before the first approval is asked');
    a.runs.fail(ticket, 'ended by the test');
    assert.strictEqual(a.runs.last!.phase, 'error');
  });
});
