/** Memory commands get a tree node (menus), an item id (run view, code) or nothing (ask). */
import * as vscode from 'vscode';
import type { MemoryItemDto } from '../server/protocol';
import type { MemoryNode } from './memory-tree';
import type { Services } from './services';
import { llmConfig, memoryFileFor, readSettings } from './settings';
import { requireFolder } from './workspace-folder';

export function currentMemoryFile(): string {
  return memoryFileFor(requireFolder());
}

/** the memory ref with the LLM settings, so search can use embeddings when they are configured */
export async function searchRef(s: Services): Promise<{ memoryFile: string; llm: Awaited<ReturnType<typeof llmConfig>> }> {
  const folder = requireFolder();
  const settings = readSettings(folder.uri);
  return { memoryFile: memoryFileFor(folder, settings), llm: await llmConfig(settings, s.context.secrets) };
}

export async function resolveItem(s: Services, arg: unknown): Promise<{ item: MemoryItemDto; memoryFile: string } | undefined> {
  const node = arg as MemoryNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'item') return { item: node.item, memoryFile: node.memoryFile || currentMemoryFile() };
  const memoryFile = currentMemoryFile();
  let id = typeof arg === 'string' ? arg : (arg as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') {
    const selected = s.treeView.selection.find((n) => n.kind === 'item');
    if (selected?.kind === 'item') return { item: selected.item, memoryFile: selected.memoryFile };
    const items = await s.engine.request('memory/list', { memoryFile, includeArchived: true });
    const pick = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.title, description: i.outcome, detail: i.description, id: i.id })),
      { title: 'ReasoningBank: pick a lesson', matchOnDetail: true },
    );
    if (!pick) return undefined;
    id = pick.id;
  }
  const item = await s.engine.request('memory/get', { memoryFile, id: id as string });
  if (!item) throw new Error(`no lesson with id ${id} in ${memoryFile}`);
  return { item, memoryFile };
}

export async function updateItem(s: Services, arg: unknown, patch: { pinned?: boolean; archived?: boolean }): Promise<MemoryItemDto | undefined> {
  const ref = await resolveItem(s, arg);
  if (!ref) return undefined;
  const item = await s.engine.request('memory/update', { memoryFile: ref.memoryFile, id: ref.item.id, patch });
  s.tree.refresh();
  s.lessonView.refreshAll();
  return item;
}
