/**
 * The memory bank view (`reasoningBank.memory`): lessons grouped by outcome, archived ones last; each
 * shows its title, its description beside it, an icon by outcome and its evidence in the tooltip. Reading
 * the tree is what starts the engine when the view first becomes visible.
 */
import * as vscode from 'vscode';
import type { MemoryItemDto, OutcomeGroup } from '../server/protocol';
import type { Engine } from './engine-process';
import { memoryFileFor } from './settings';
import { currentFolder } from './workspace-folder';

export const MEMORY_VIEW_ID = 'reasoningBank.memory';

export type MemoryNode =
  | { kind: 'group'; group: OutcomeGroup; items: MemoryItemDto[] }
  | { kind: 'item'; item: MemoryItemDto; memoryFile: string };

const GROUPS: { group: OutcomeGroup; label: string; icon: string; color?: string }[] = [
  { group: 'success', label: 'Success', icon: 'pass', color: 'testing.iconPassed' },
  { group: 'failure', label: 'Failure', icon: 'error', color: 'testing.iconFailed' },
  { group: 'contrast', label: 'Contrast', icon: 'git-compare', color: 'charts.purple' },
  { group: 'refinement', label: 'Refinement', icon: 'sync', color: 'charts.blue' },
  { group: 'manual', label: 'Manual', icon: 'edit', color: 'charts.yellow' },
  { group: 'archived', label: 'Archived', icon: 'archive' },
];

export function groupOf(item: MemoryItemDto): OutcomeGroup {
  return item.archived ? 'archived' : item.outcome;
}

export function groupItems(items: MemoryItemDto[]): { group: OutcomeGroup; items: MemoryItemDto[] }[] {
  return GROUPS.map((g) => ({
    group: g.group,
    // pinned first, then the newest
    items: items
      .filter((i) => groupOf(i) === g.group)
      .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.createdAt.localeCompare(a.createdAt)),
  })).filter((g) => g.items.length);
}

export function contextValueOf(item: MemoryItemDto): string {
  return `memoryItem;${item.pinned ? 'pinned' : 'unpinned'};${item.archived ? 'archived' : 'active'};`;
}

export function tooltipOf(item: MemoryItemDto): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(item.title)}**${item.pinned ? ' $(pinned)' : ''}\n\n`);
  md.appendMarkdown(`${escape(item.description)}\n\n`);
  md.appendMarkdown(`used ${item.uses} · wins ${item.wins} · losses ${item.losses} · listed unused ${item.shown ?? 0} · ${item.outcome} · ${item.source}\n\n`);
  if (item.task) md.appendMarkdown(`task: ${escape(item.task.slice(0, 160))}${item.task.length > 160 ? '…' : ''}\n\n`);
  md.appendMarkdown(`created ${new Date(item.createdAt).toLocaleString()}`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class MemoryTreeProvider implements vscode.TreeDataProvider<MemoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filterQuery: string | undefined;
  private view: vscode.TreeView<MemoryNode> | undefined;
  /** the items last shown */
  lastItems: MemoryItemDto[] = [];
  /** why the last read failed (shown as the view's message) */
  lastError: string | undefined;

  constructor(private readonly engine: Engine) {}

  attach(view: vscode.TreeView<MemoryNode>): void {
    this.view = view;
  }

  get filter(): string | undefined {
    return this.filterQuery;
  }

  setFilter(query: string | undefined): void {
    this.filterQuery = query?.trim() || undefined;
    void vscode.commands.executeCommand('setContext', 'reasoningBank.memoryFiltered', !!this.filterQuery);
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: MemoryNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const g = GROUPS.find((x) => x.group === node.group)!;
      const t = new vscode.TreeItem(g.label, node.group === 'archived' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      t.id = `group:${node.group}`;
      t.description = String(node.items.length);
      t.iconPath = new vscode.ThemeIcon(g.icon, g.color ? new vscode.ThemeColor(g.color) : undefined);
      t.contextValue = 'memoryGroup';
      return t;
    }
    const { item } = node;
    const g = GROUPS.find((x) => x.group === item.outcome)!;
    const t = new vscode.TreeItem(item.title, vscode.TreeItemCollapsibleState.None);
    t.id = `item:${item.id}`;
    t.description = item.description;
    t.tooltip = tooltipOf(item);
    t.iconPath = item.pinned
      ? new vscode.ThemeIcon('pinned', g.color ? new vscode.ThemeColor(g.color) : undefined)
      : new vscode.ThemeIcon(item.archived ? 'archive' : g.icon, g.color && !item.archived ? new vscode.ThemeColor(g.color) : undefined);
    t.contextValue = contextValueOf(item);
    t.command = { command: 'reasoningBank.openMemoryItem', title: 'Open lesson', arguments: [node] };
    return t;
  }

  async getChildren(node?: MemoryNode): Promise<MemoryNode[]> {
    if (node?.kind === 'group') {
      const folder = currentFolder();
      const memoryFile = folder ? memoryFileFor(folder) : '';
      return node.items.map((item) => ({ kind: 'item', item, memoryFile }));
    }
    if (node) return [];
    const folder = currentFolder();
    if (!folder) {
      this.setMessage('Open a folder to see its memory bank.');
      return [];
    }
    const memoryFile = memoryFileFor(folder);
    try {
      let items: MemoryItemDto[];
      if (this.filterQuery) {
        items = await this.engine.request('memory/search', { memoryFile, query: this.filterQuery, k: 50 });
        items = items.filter((i) => !i.archived);
        this.setMessage(`Lessons matching "${this.filterQuery}": ${items.length}`);
      } else {
        items = await this.engine.request('memory/list', { memoryFile, includeArchived: true });
        this.setMessage(undefined);
      }
      this.lastItems = items;
      this.lastError = undefined;
      const active = items.filter((i) => !i.archived).length;
      if (this.view) this.view.description = items.length ? `${active} lesson${active === 1 ? '' : 's'}` : undefined;
      return groupItems(items).map((g) => ({ kind: 'group', group: g.group, items: g.items }));
    } catch (err) {
      this.lastItems = [];
      this.lastError = err instanceof Error ? err.message : String(err);
      this.setMessage(`Cannot read the memory bank ${memoryFile}: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  getParent(): undefined {
    return undefined;
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
