import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SolveResult } from '../../../src/engine/types';
import type { ApplyPatchResult, SolveOutcome } from '../../../src/server/protocol';
import { DENIED_COMMAND, DENY_MARKER, HANG_MARKER, LESSON } from '../scripted-llm';
import { api, treeItems, waitFor, workspaceDir } from './helpers';

const ISSUE = 'cartTotal(items, 10) returns 190 for a cart worth 200: the discount must be a percentage of the sum. Make npm test pass.';

function cartSource(): string {
  return fs.readFileSync(path.join(workspaceDir(), 'src', 'cart.js'), 'utf8');
}

function worktrees(): string[] {
  const r = spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: workspaceDir(), encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.startsWith('worktree '));
}

describe('solving through the language client and the engine process', () => {
  let result: SolveResult;

  it('"Solve with memory" with an argument asks nothing and resolves to the solve --json object', async () => {
    const a = await api();
    const before = cartSource();
    const out = await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: ISSUE });
    assert.strictEqual(out.status, 'resolved', JSON.stringify(out).slice(0, 2000));
    result = out as SolveResult;
    for (const key of ['status', 'runId', 'steps', 'tokens', 'patch', 'applied', 'tests', 'judge', 'memory', 'attempts', 'chosen']) {
      assert.ok(key in result, `result lacks "${key}"`);
    }
    assert.strictEqual(result.applied, false);
    assert.strictEqual(result.chosen, 0);
    assert.strictEqual(result.attempts.length, 1);
    assert.match(result.patch, /discountPercent\) \/ 100/);
    assert.ok(result.tests && result.tests.failed === 0, `tests after the fix: ${JSON.stringify(result.tests)}`);
    assert.ok(result.memory.added.length >= 1, 'a lesson was distilled');
    assert.strictEqual(cartSource(), before, 'the working tree is untouched until Apply');
    assert.deepStrictEqual(worktrees().length, 1, 'the attempt worktree was removed');

    // the live events reached the extension (run view / status bar source)
    const run = a.runs.last!;
    assert.strictEqual(run.phase, 'resolved');
    const types = new Set(run.events.map((e) => e.type));
    for (const t of ['run-start', 'memory-retrieved', 'tool-call', 'tool-result', 'tests', 'verdict', 'memory-added', 'run-end']) {
      assert.ok(types.has(t as never), `no "${t}" event reached the extension`);
    }
  });

  it('the new lesson is in the memory file and in the tree', async () => {
    const a = await api();
    const items = await treeItems(a);
    const lesson = items.find((i) => i.id === result.memory.added[0]);
    assert.ok(lesson, `lesson ${result.memory.added[0]} not in the tree: ${JSON.stringify(items)}`);
    assert.strictEqual(lesson.title, LESSON.title);
    assert.strictEqual(lesson.group, 'success');
  });

  it('opens the patch in a diff editor over virtual documents', async () => {
    const files = await vscode.commands.executeCommand<string[]>('reasoningBank.reviewDiff');
    assert.deepStrictEqual(files, ['src/cart.js']);
    const tab = await waitFor('the diff tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputTextDiff, `active tab is ${tab.label}`);
    const input = tab.input as vscode.TabInputTextDiff;
    assert.strictEqual(input.modified.scheme, 'reasoningbank-patch');
    const after = await vscode.workspace.openTextDocument(input.modified);
    const beforeDoc = await vscode.workspace.openTextDocument(input.original);
    assert.match(after.getText(), /sum - \(sum \* discountPercent\) \/ 100/);
    assert.match(beforeDoc.getText(), /return sum - discountPercent;/);
  });

  it('Apply puts the patch into the working tree and the tests pass there', async () => {
    const a = await api();
    const applied = await vscode.commands.executeCommand<ApplyPatchResult>('reasoningBank.applyPatch', { attempt: 0 });
    assert.deepStrictEqual(applied, { applied: true, files: ['src/cart.js'] });
    assert.match(cartSource(), /sum - \(sum \* discountPercent\) \/ 100/);
    assert.strictEqual(a.runs.last!.applied, true);
    const test = spawnSync('npm', ['test'], { cwd: workspaceDir(), encoding: 'utf8' });
    assert.strictEqual(test.status, 0, test.stdout + test.stderr);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('reasoningBank.applyPatch', { attempt: 0 })),
      /already applied/,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Cancel stops a running solve, resolves it as cancelled and removes its worktree', async () => {
    const a = await api();
    const pending = Promise.resolve(vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: `${HANG_MARKER}: this run waits for a model that never answers` }));
    await waitFor('the attempt to start', () => a.runs.active?.attempts.length, 60000);
    assert.strictEqual(await vscode.commands.executeCommand('reasoningBank.cancel'), true);
    const out = await pending;
    assert.strictEqual(out.status, 'error');
    assert.strictEqual((out as { error: { code: string } }).error.code, 'cancelled');
    assert.strictEqual(a.runs.active, undefined);
    assert.strictEqual(a.runs.last!.phase, 'cancelled');
    await waitFor('the worktree to be removed', () => worktrees().length === 1, 30000);
    assert.strictEqual(await vscode.commands.executeCommand('reasoningBank.cancel'), false, 'nothing left to cancel');
  });

  it('with commandApproval "allowlist", a command outside the list is denied and the denial reaches the model', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('reasoningBank');
    await config.update('commandApproval', 'allowlist', vscode.ConfigurationTarget.Workspace);
    await config.update('allowedCommands', ['npm test'], vscode.ConfigurationTarget.Workspace);
    try {
      const out = await vscode.commands.executeCommand<SolveOutcome>('reasoningBank.solve', { issue: `${DENY_MARKER}: install the helper script` });
      assert.notStrictEqual(out.status, 'error', JSON.stringify(out));
      const results = a.runs.last!.events.filter((e) => e.type === 'tool-result' && e.name === 'run_command');
      assert.ok(results.length >= 1, 'the agent tried a command');
      const denial = results[0] as { output: string };
      assert.match(denial.output, /not in reasoningBank\.allowedCommands/);
      assert.ok(denial.output.includes(DENIED_COMMAND) || /denied|not run/i.test(denial.output));
    } finally {
      await config.update('commandApproval', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('allowedCommands', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('rejects a malformed argument with a message that names the field', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reasoningBank.solve', { issue: '' })), /"issue"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reasoningBank.scale', { issue: 'x', k: 99 })), /"k"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reasoningBank.scale', { issue: 'x', mode: 'sideways' })), /"mode"/);
  });
});
