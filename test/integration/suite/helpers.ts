import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ReasoningBankApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'reasoningbank.reasoningbank-vscode';

export function extension(): vscode.Extension<ReasoningBankApi> {
  const ext = vscode.extensions.getExtension<ReasoningBankApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

export async function api(): Promise<ReasoningBankApi> {
  return extension().activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host has no workspace folder open');
  return folder.uri.fsPath;
}

export function memoryFile(): string {
  return path.join(workspaceDir(), '.reasoningbank', 'memory.sqlite');
}

export function repoRoot(): string {
  return process.env.RB_REPO_ROOT ?? path.resolve(__dirname, '..', '..');
}

export function resultsDir(): string {
  const dir = process.env.RB_TEST_RESULTS ?? path.join(repoRoot(), 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** resolves on the tree's next change event */
export function nextTreeChange(a: ReasoningBankApi, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('the memory tree did not refresh'));
    }, timeoutMs);
    const sub = a.memoryTree.onDidChangeTreeData(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** every lesson the tree shows right now, by group */
export async function treeItems(a: ReasoningBankApi): Promise<{ group: string; id: string; title: string; contextValue?: string; description?: string }[]> {
  const out: { group: string; id: string; title: string; contextValue?: string; description?: string }[] = [];
  for (const g of await a.memoryTree.getChildren()) {
    if (g.kind !== 'group') continue;
    for (const n of await a.memoryTree.getChildren(g)) {
      if (n.kind !== 'item') continue;
      const t = a.memoryTree.getTreeItem(n);
      out.push({ group: g.group, id: n.item.id, title: String(t.label), contextValue: t.contextValue, description: String(t.description ?? '') });
    }
  }
  return out;
}
