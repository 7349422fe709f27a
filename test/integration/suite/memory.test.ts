import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MemoryItemDto } from '../../../src/server/protocol';
import { importSummary } from '../../../src/extension/commands/importMemory';
import { api, memoryFile, nextTreeChange, repoRoot, treeItems, waitFor, workspaceDir } from './helpers';

const MANUAL = {
  title: 'Run the narrowest failing test first',
  description: 'Use when a suite has many tests and only one fails.',
  content: 'Run only the failing test while iterating; run the whole suite once at the end to catch regressions.',
};

describe('memory bank view over a real memory file', () => {
  let added: MemoryItemDto;

  it('shows an empty bank without creating the file, and starts the engine to read it', async () => {
    const a = await api();
    assert.strictEqual(fs.existsSync(memoryFile()), false);
    assert.deepStrictEqual(await treeItems(a), []);
    assert.strictEqual(a.engineRunning(), true, 'reading the tree starts the engine');
    assert.strictEqual(fs.existsSync(memoryFile()), false, 'browsing must not create the memory file');
  });

  it('adds a lesson by hand and shows it under "manual" with its description and evidence', async () => {
    const a = await api();
    added = await vscode.commands.executeCommand<MemoryItemDto>('reasoningBank.addMemory', MANUAL);
    assert.strictEqual(added.title, MANUAL.title);
    assert.strictEqual(added.outcome, 'manual');
    assert.ok(fs.existsSync(memoryFile()), 'the memory file exists after the first write');
    const items = await treeItems(a);
    const row = items.find((i) => i.id === added.id);
    assert.ok(row, 'the new lesson is in the tree');
    assert.strictEqual(row.group, 'manual');
    assert.strictEqual(row.title, MANUAL.title);
    assert.strictEqual(row.description, MANUAL.description);
    const node = (await a.memoryTree.getChildren((await a.memoryTree.getChildren())[0])).find((n) => n.kind === 'item')!;
    const tooltip = a.memoryTree.getTreeItem(node).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /used 0 · wins 0 · losses 0 · listed unused 0/);
  });

  it('pins, archives, restores and unpins through the item commands', async () => {
    const a = await api();
    await vscode.commands.executeCommand('reasoningBank.pinMemory', added.id);
    assert.match((await treeItems(a)).find((i) => i.id === added.id)!.contextValue!, /;pinned;/);
    await vscode.commands.executeCommand('reasoningBank.archiveMemory', added.id);
    assert.strictEqual((await treeItems(a)).find((i) => i.id === added.id)!.group, 'archived');
    await vscode.commands.executeCommand('reasoningBank.restoreMemory', added.id);
    await vscode.commands.executeCommand('reasoningBank.unpinMemory', added.id);
    const row = (await treeItems(a)).find((i) => i.id === added.id)!;
    assert.strictEqual(row.group, 'manual');
    assert.match(row.contextValue!, /;unpinned;active;/);
  });

  it('opens a read-only view with provenance, and an editable document that saves back through the engine', async () => {
    await vscode.commands.executeCommand('reasoningBank.openMemoryItem', added.id);
    // it opens rendered: the Markdown preview of the lesson document, not its source
    const tab = await waitFor('the lesson preview', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) ? t : undefined;
    });
    assert.ok(tab.label.length > 0);
    const view = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'reasoningbank-memory')!;
    assert.ok(view, 'the preview renders the lesson document');
    assert.match(view.getText(), /## Provenance/);
    assert.match(view.getText(), /## Lineage/);

    await vscode.commands.executeCommand('reasoningBank.editMemory', added.id);
    const doc = vscode.window.activeTextEditor!.document;
    assert.strictEqual(doc.uri.scheme, 'reasoningbank-edit');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), doc.getText().replace(`title: ${MANUAL.title}`, 'title: Run the narrowest failing test first, then all'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'a valid lesson saves');
    const a = await api();
    assert.ok((await treeItems(a)).some((i) => i.title === 'Run the narrowest failing test first, then all'));

    // a broken header is refused and the stored lesson stays as it was
    const broken = new vscode.WorkspaceEdit();
    broken.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), 'no header at all\n');
    await vscode.workspace.applyEdit(broken);
    const saved = await doc.save();
    assert.strictEqual(saved, false, 'an unparseable lesson must not save');
    assert.ok((await treeItems(a)).some((i) => i.title === 'Run the narrowest failing test first, then all'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Add a lesson…" opens a Markdown editor: content of several lines, added on Save', async () => {
    const a = await api();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('reasoningBank.addMemory');
    const doc = vscode.window.activeTextEditor!.document;
    assert.strictEqual(doc.uri.toString(), uri.toString());
    assert.strictEqual(doc.languageId, 'markdown');
    // without a title it does not save (the editor keeps the text and says why)
    const untitled = new vscode.WorkspaceEdit();
    untitled.insert(doc.uri, new vscode.Position(doc.lineCount - 1, 0), 'a lesson without a title\n');
    assert.ok(await vscode.workspace.applyEdit(untitled));
    assert.strictEqual(await doc.save(), false);
    const content = 'First check the unit of the parameter.\n\n- a percentage is a fraction of the base\n- an amount is subtracted as it is';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), `---\ntitle: Read the unit before the arithmetic\ndescription: Use when a parameter may be a percentage or an amount.\n---\n${content}\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save(), 'a filled-in lesson saves');
    const row = await waitFor('the new lesson in the tree', async () => (await treeItems(a)).find((i) => i.title === 'Read the unit before the arithmetic'));
    const hits = await vscode.commands.executeCommand<MemoryItemDto[]>('reasoningBank.searchMemory', { query: 'unit of the parameter percentage' });
    assert.strictEqual(hits.find((h) => h.id === row.id)?.content, content, 'line breaks are kept');
    // a second save updates the same lesson instead of adding another
    const again = new vscode.WorkspaceEdit();
    again.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), doc.getText().replace('Read the unit', 'Read the unit first'));
    await vscode.workspace.applyEdit(again);
    assert.ok(await doc.save());
    const items = await treeItems(a);
    assert.ok(items.some((i) => i.id === row.id && i.title === 'Read the unit first before the arithmetic'));
    assert.ok(!items.some((i) => i.title === 'Read the unit before the arithmetic'));
    await vscode.commands.executeCommand('reasoningBank.deleteMemory', { id: row.id, confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('searches, exports and re-imports (exact duplicates are skipped)', async () => {
    const hits = await vscode.commands.executeCommand<MemoryItemDto[]>('reasoningBank.searchMemory', { query: 'narrowest failing test' });
    assert.ok(hits.some((h) => h.id === added.id));
    const file = path.join(workspaceDir(), '..', 'export.jsonl');
    const exported = await vscode.commands.executeCommand<{ count: number }>('reasoningBank.exportMemory', { file });
    assert.strictEqual(exported.count, 1);
    assert.strictEqual(fs.readFileSync(file, 'utf8').trim().split('\n').length, 1);
    const imported = await vscode.commands.executeCommand<{ added: number; skipped: number }>('reasoningBank.importMemory', { file });
    assert.deepStrictEqual(imported, { added: 0, skipped: 1, deleted: 0 });
  });

  it('refreshes by itself when another process writes the memory file', async () => {
    const a = await api();
    await treeItems(a);
    const changed = nextTreeChange(a);
    const script = `
      const { MemoryBank } = require('./src/engine/memory');
      MemoryBank.open(${JSON.stringify(memoryFile())}).then((bank) => bank.addManual({
        title: 'Written by another process', description: 'Use to check the file watcher.', content: 'The CLI and other windows write the same file.' }))
        .catch((err) => { console.error(err); process.exit(1); });`;
    const r = spawnSync('node', ['--require', 'tsx/cjs', '-e', script], { cwd: repoRoot(), encoding: 'utf8', timeout: 60000 });
    assert.strictEqual(r.status, 0, `the other process failed: ${r.stderr}`);
    await changed;
    assert.ok((await treeItems(a)).some((i) => i.title === 'Written by another process'));
  });

  it('deletes a lesson', async () => {
    const a = await api();
    const deleted = await vscode.commands.executeCommand<boolean>('reasoningBank.deleteMemory', { id: added.id, confirm: false });
    assert.strictEqual(deleted, true);
    assert.ok(!(await treeItems(a)).some((i) => i.id === added.id));
    // re-importing the export does not bring it back, and the count says it was deleted, not "already in the bank"
    const file = path.join(workspaceDir(), '..', 'export.jsonl');
    const imported = await vscode.commands.executeCommand<{ added: number; skipped: number; deleted: number }>('reasoningBank.importMemory', { file });
    assert.deepStrictEqual(imported, { added: 0, skipped: 1, deleted: 1 });
    assert.strictEqual(importSummary(imported), 'imported 0 lessons, skipped 1 deleted earlier');
    assert.strictEqual(importSummary({ added: 1, skipped: 3, deleted: 1 }), 'imported 1 lesson, skipped 2 already in the bank and 1 deleted earlier');
    assert.ok(!(await treeItems(a)).some((i) => i.id === added.id));
  });

  it('reports a corrupt memory file in the view and leaves the file alone', async () => {
    const a = await api();
    const corrupt = path.join(workspaceDir(), '.reasoningbank', 'corrupt.sqlite');
    fs.writeFileSync(corrupt, 'this is not a sqlite database');
    const config = vscode.workspace.getConfiguration('reasoningBank');
    await config.update('memoryPath', '.reasoningbank/corrupt.sqlite', vscode.ConfigurationTarget.Workspace);
    try {
      assert.deepStrictEqual(await treeItems(a), []);
      assert.ok(a.memoryTree.lastError, 'the view says why it is empty');
      assert.strictEqual(fs.readFileSync(corrupt, 'utf8'), 'this is not a sqlite database');
    } finally {
      await config.update('memoryPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
