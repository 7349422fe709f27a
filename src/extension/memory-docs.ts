/**
 * Two ways to look at a lesson: a read-only Markdown view with its provenance and lineage
 * (`reasoningbank-memory:`), and an editable document (`reasoningbank-edit:`) whose Save writes the title,
 * description and content back through the engine. A document that does not parse is not saved: the
 * editor keeps the text and shows what is wrong.
 */
import * as vscode from 'vscode';
import type { MemoryItemDto, MemoryPatch } from '../server/protocol';
import type { Engine } from './engine-process';

export const VIEW_SCHEME = 'reasoningbank-memory';
export const EDIT_SCHEME = 'reasoningbank-edit';

function slug(title: string): string {
  return title.replace(/[^\w\- ]+/g, '').trim().slice(0, 60).replace(/\s+/g, '-') || 'lesson';
}

export function viewUri(memoryFile: string, item: MemoryItemDto): vscode.Uri {
  return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${slug(item.title)}.md`, query: new URLSearchParams({ file: memoryFile, id: item.id }).toString() });
}

export function editUri(memoryFile: string, item: MemoryItemDto): vscode.Uri {
  return vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${slug(item.title)}.md`, query: new URLSearchParams({ file: memoryFile, id: item.id }).toString() });
}

/** a new lesson written in an editor ("Add a lesson…"): saving it the first time adds it to the bank */
export function draftUri(memoryFile: string, draft: string): vscode.Uri {
  return vscode.Uri.from({ scheme: EDIT_SCHEME, path: '/New lesson.md', query: new URLSearchParams({ file: memoryFile, draft }).toString() });
}

export const DRAFT_TEMPLATE = serializeEditableRaw('', '', '');

function draftOf(uri: vscode.Uri): { memoryFile: string; draft: string } | undefined {
  const q = new URLSearchParams(uri.query);
  const memoryFile = q.get('file');
  const draft = q.get('draft');
  return memoryFile && draft ? { memoryFile, draft } : undefined;
}

function refOf(uri: vscode.Uri): { memoryFile: string; id: string } {
  const q = new URLSearchParams(uri.query);
  const memoryFile = q.get('file');
  const id = q.get('id');
  if (!memoryFile || !id) throw vscode.FileSystemError.FileNotFound(uri);
  return { memoryFile, id };
}

export function renderLesson(item: MemoryItemDto, memoryFile: string): string {
  const lines = [
    `# ${item.title}`,
    '',
    `> ${item.description}`,
    '',
    item.content,
    '',
    '---',
    '',
    '| | |',
    '|---|---|',
    `| id | \`${item.id}\` |`,
    `| outcome | ${item.outcome} |`,
    `| source | ${item.source} |`,
    `| evidence | used ${item.uses}× · ${item.wins} wins · ${item.losses} losses |`,
    `| pinned | ${item.pinned ? 'yes' : 'no'} |`,
    `| archived | ${item.archived ? 'yes' : 'no'} |`,
    `| created | ${item.createdAt} |`,
    `| updated | ${item.updatedAt} |`,
    `| memory file | \`${memoryFile}\` |`,
    '',
    '## Provenance',
    '',
    item.task ? item.task.split('\n').map((l) => `> ${l}`).join('\n') : '_entered by hand_',
    '',
    '## Lineage',
    '',
    item.lineage.length ? item.lineage.map((id) => `- \`${id}\``).join('\n') : '_none: this lesson was not merged or refined from others_',
    '',
  ];
  return lines.join('\n');
}

export function serializeEditable(item: Pick<MemoryItemDto, 'title' | 'description' | 'content'>): string {
  return serializeEditableRaw(item.title, item.description, item.content);
}

function serializeEditableRaw(title: string, description: string, content: string): string {
  return ['---', `title: ${title}`, `description: ${description}`, '---', content, ''].join('\n');
}

/** Parses the editable form; throws a message that says what to fix. */
export function parseEditable(text: string): Required<Pick<MemoryPatch, 'title' | 'description' | 'content'>> {
  const normalized = text.replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(normalized);
  if (!m) throw new Error('the lesson must start with a header between two "---" lines holding "title:" and "description:"');
  const header = new Map<string, string>();
  for (const line of m[1]!.split('\n')) {
    if (!line.trim()) continue;
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`cannot read header line "${line}": write it as "title: …" or "description: …"`);
    header.set(kv[1]!.toLowerCase(), kv[2]!.trim());
  }
  const unknown = [...header.keys()].filter((k) => k !== 'title' && k !== 'description');
  if (unknown.length) throw new Error(`unknown header field(s): ${unknown.join(', ')} (only title and description)`);
  const title = header.get('title') ?? '';
  const description = header.get('description') ?? '';
  const content = m[2]!.trim();
  if (!title) throw new Error('the title is empty');
  if (!description) throw new Error('the description is empty');
  if (!content) throw new Error('the content (below the header) is empty');
  return { title, description, content };
}

export class LessonViewProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly engine: Engine) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { memoryFile, id } = refOf(uri);
    const item = await this.engine.request('memory/get', { memoryFile, id });
    return item ? renderLesson(item, memoryFile) : `# Lesson not found\n\nNo item \`${id}\` in \`${memoryFile}\` (deleted?).\n`;
  }

  /** re-render open views after the bank changed */
  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === VIEW_SCHEME) this.changed.fire(doc.uri);
  }
}

export class LessonEditProvider implements vscode.FileSystemProvider {
  /** drafts already saved once: later saves update the lesson they created */
  private readonly created = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  constructor(
    private readonly engine: Engine,
    private readonly afterSave: () => void,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  /** the lesson behind a URI: its id, or the one a saved draft created; undefined for an unsaved draft */
  private target(uri: vscode.Uri): { memoryFile: string; id: string } | undefined {
    const d = draftOf(uri);
    if (!d) return refOf(uri);
    const id = this.created.get(d.draft);
    return id ? { memoryFile: d.memoryFile, id } : undefined;
  }

  private async item(uri: vscode.Uri): Promise<{ item: MemoryItemDto; memoryFile: string }> {
    const { memoryFile, id } = this.target(uri) ?? refOf(uri);
    const item = await this.engine.request('memory/get', { memoryFile, id });
    if (!item) throw vscode.FileSystemError.FileNotFound(uri);
    return { item, memoryFile };
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (!this.target(uri)) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: Buffer.byteLength(DRAFT_TEMPLATE) };
    const { item } = await this.item(uri);
    return { type: vscode.FileType.File, ctime: Date.parse(item.createdAt) || 0, mtime: Date.parse(item.updatedAt) || 0, size: Buffer.byteLength(serializeEditable(item)) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    if (!this.target(uri)) return Buffer.from(DRAFT_TEMPLATE, 'utf8');
    const { item } = await this.item(uri);
    return Buffer.from(serializeEditable(item), 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const target = this.target(uri);
    let patch;
    try {
      patch = parseEditable(Buffer.from(content).toString('utf8'));
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(`lesson not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (target) await this.engine.request('memory/update', { memoryFile: target.memoryFile, id: target.id, patch });
    else {
      const d = draftOf(uri)!;
      const item = await this.engine.request('memory/add', { memoryFile: d.memoryFile, draft: patch });
      this.created.set(d.draft, item.id);
    }
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.afterSave();
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: delete lessons from the memory view`);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
