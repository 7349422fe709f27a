/**
 * Patch review: each file of an attempt's patch opens in a diff editor whose two sides are virtual
 * documents (`reasoningbank-patch:`): the file as it is in the working tree now, and the same file with
 * the patch applied. Nothing touches the disk until Apply. Several files open together in VS Code's
 * multi-file diff editor (`vscode.changes`), or one at a time with "Next file" where the host lacks it.
 * The editor title bar's Apply / Discard find their attempt through `attemptOf` (see package.json menus).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { parseReviewKey } from './review-key';

export const PATCH_SCHEME = 'reasoningbank-patch';

interface Side {
  key: string;
  file: string;
  side: 'before' | 'after';
}

export interface FilePatch {
  /** path relative to the repository */
  file: string;
  patch: StructuredPatch;
  added: boolean;
  deleted: boolean;
  /** a change the text diff cannot show (binary data, or only the file's mode): Apply still writes it */
  opaque: boolean;
}

const strip = (name: string | undefined) => (name ?? '').replace(/^[ab]\//, '');

export function splitPatch(patch: string): FilePatch[] {
  return parsePatch(patch)
    .filter((p) => p.hunks.length || p.oldFileName || p.newFileName)
    .map((p) => {
      const added = p.oldFileName === '/dev/null';
      const deleted = p.newFileName === '/dev/null';
      // git's binary hunks (and mode-only changes) parse as a file with no text hunks
      return { file: strip(deleted ? p.oldFileName : p.newFileName), patch: p, added, deleted, opaque: !p.hunks.length && !deleted };
    })
    .filter((f) => f.file);
}

interface Review {
  repo: string;
  files: FilePatch[];
  title: string;
  /** the file shown when the host opens them one at a time */
  shown: number;
}

/** the multi-file diff editor's tab shows our title, and may add to it (e.g. a file count) */
function isTabOf(label: string, title: string): boolean {
  return label === title || label.startsWith(`${title} `);
}

export class DiffReview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reviews = new Map<string, Review>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** files whose change the diff cannot show (stale, binary), already told to the user (once each) */
  private readonly stale = new Set<string>();
  private readonly subs: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(PATCH_SCHEME, this),
    vscode.window.tabGroups.onDidChangeTabs(() => this.updateContext()),
    vscode.window.tabGroups.onDidChangeTabGroups(() => this.updateContext()),
  ];

  private uri(s: Side): vscode.Uri {
    return vscode.Uri.from({ scheme: PATCH_SCHEME, path: '/' + s.file, query: new URLSearchParams({ key: s.key, side: s.side }).toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const review = this.reviews.get(q.get('key') ?? '');
    const file = uri.path.replace(/^\//, '');
    const fp = review?.files.find((f) => f.file === file);
    if (!review || !fp) return '(this review was discarded)';
    const before = this.current(review.repo, fp);
    if (q.get('side') === 'before') return before;
    if (fp.deleted) return '';
    if (fp.opaque) {
      // the diff would show the file unchanged while Apply writes it: say so, once
      this.tellOnce(`${q.get('key')}:${file}:opaque`, `ReasoningBank: the change to ${file} is binary (or only its mode), so the diff cannot show it; Apply writes it all the same.`);
      return before;
    }
    const after = applyPatch(before, fp.patch);
    if (after === false) {
      // never put a message into the document: it would read as code (and the language server would
      // report it); show the file unchanged and say why once
      this.tellOnce(`${q.get('key')}:${file}`, `ReasoningBank: the patch no longer applies to ${file}: the file changed since the run started.`);
      return before;
    }
    return after;
  }

  private tellOnce(key: string, message: string): void {
    if (this.stale.has(key)) return;
    this.stale.add(key);
    void vscode.window.showWarningMessage(message);
  }

  private current(repo: string, fp: FilePatch): string {
    if (fp.added) return '';
    try {
      return fs.readFileSync(path.join(repo, fp.file), 'utf8');
    } catch {
      return '';
    }
  }

  /** opens the diff of one attempt's patch: one file → vscode.diff, several → the multi-file changes editor */
  async open(key: string, repo: string, patch: string, title: string): Promise<FilePatch[]> {
    const files = splitPatch(patch);
    if (!files.length) throw new Error('this attempt produced no changes to review');
    const review: Review = { repo, files, title, shown: 0 };
    // a title names one review: an older run's attempt of the same number gives way
    for (const [k, r] of this.reviews) if (r.title === title) this.reviews.delete(k);
    this.reviews.set(key, review);
    for (const f of files) {
      this.changed.fire(this.uri({ key, file: f.file, side: 'before' }));
      this.changed.fire(this.uri({ key, file: f.file, side: 'after' }));
    }
    if (files.length === 1 || !(await vscode.commands.getCommands(true)).includes('vscode.changes')) {
      await this.showFile(key, review, 0);
    } else {
      await vscode.commands.executeCommand(
        'vscode.changes',
        title,
        files.map((f) => [
          vscode.Uri.file(path.join(repo, f.file)),
          this.uri({ key, file: f.file, side: 'before' }),
          this.uri({ key, file: f.file, side: 'after' }),
        ]),
      );
    }
    this.updateContext();
    return files;
  }

  private async showFile(key: string, review: Review, index: number): Promise<void> {
    const f = review.files[index]!;
    review.shown = index;
    const of = review.files.length > 1 ? ` (${index + 1} of ${review.files.length})` : '';
    await vscode.commands.executeCommand(
      'vscode.diff',
      this.uri({ key, file: f.file, side: 'before' }),
      this.uri({ key, file: f.file, side: 'after' }),
      `${review.title}: ${f.file}${of}`,
      { preview: true },
    );
  }

  /** "Next file" in the title bar of a one-file-at-a-time review; wraps around */
  async next(arg: unknown): Promise<string | undefined> {
    const key = this.keyOf(arg);
    const review = key ? this.reviews.get(key) : undefined;
    if (!key || !review) throw new Error('no ReasoningBank diff is open');
    await this.showFile(key, review, (review.shown + 1) % review.files.length);
    return review.files[review.shown]!.file;
  }

  /**
   * The run and attempt of a diff editor: from the resource the title bar passes (a single-file diff), or
   * from the active tab (the multi-file editor passes its own resource).
   */
  attemptOf(arg: unknown): { ticket: string; attempt: number } | undefined {
    const key = this.keyOf(arg);
    return key ? parseReviewKey(key) : undefined;
  }

  private keyOf(arg: unknown): string | undefined {
    if (arg instanceof vscode.Uri && arg.scheme === PATCH_SCHEME) return new URLSearchParams(arg.query).get('key') ?? undefined;
    return this.activeKey();
  }

  private activeKey(): string | undefined {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (!tab) return undefined;
    if (tab.input instanceof vscode.TabInputTextDiff) {
      return tab.input.modified.scheme === PATCH_SCHEME ? (new URLSearchParams(tab.input.modified.query).get('key') ?? undefined) : undefined;
    }
    // the multi-file diff editor's tab input is not in the stable API: it is ours when it carries our title
    for (const [key, r] of this.reviews) if (r.files.length > 1 && isTabOf(tab.label, r.title)) return key;
    return undefined;
  }

  /** `reasoningBank.activeReview` / `reasoningBank.reviewNextFile` for the editor title bar's `when` clauses */
  private updateContext(): void {
    const key = this.activeKey();
    const review = key ? this.reviews.get(key) : undefined;
    void vscode.commands.executeCommand('setContext', 'reasoningBank.activeReview', !!review);
    const oneAtATime = !!review && review.files.length > 1 && vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff;
    void vscode.commands.executeCommand('setContext', 'reasoningBank.reviewNextFile', oneAtATime);
  }

  /** After Apply or Discard: forget the reviews and close their editors (a diff against the changed tree would mislead). */
  async closeAll(): Promise<void> {
    const titles = new Set([...this.reviews.values()].map((r) => r.title));
    this.reviews.clear();
    this.stale.clear();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const input = t.input;
      if (input instanceof vscode.TabInputTextDiff) return input.modified.scheme === PATCH_SCHEME;
      if (input instanceof vscode.TabInputText) return input.uri.scheme === PATCH_SCHEME;
      return [...titles].some((title) => isTabOf(t.label, title));
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.updateContext();
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
