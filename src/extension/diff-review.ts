/**
 * Patch review: each file of an attempt's patch opens in a diff editor whose two sides are virtual
 * documents (`reasoningbank-patch:`): the file as it is in the working tree now, and the same file with
 * the patch applied. Nothing touches the disk until Apply.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyPatch, parsePatch, type StructuredPatch } from 'diff';

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
}

const strip = (name: string | undefined) => (name ?? '').replace(/^[ab]\//, '');

export function splitPatch(patch: string): FilePatch[] {
  return parsePatch(patch)
    .filter((p) => p.hunks.length || p.oldFileName || p.newFileName)
    .map((p) => {
      const added = p.oldFileName === '/dev/null';
      const deleted = p.newFileName === '/dev/null';
      return { file: strip(deleted ? p.oldFileName : p.newFileName), patch: p, added, deleted };
    })
    .filter((f) => f.file);
}

export class DiffReview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reviews = new Map<string, { repo: string; files: FilePatch[] }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PATCH_SCHEME, this);

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
    const after = applyPatch(before, fp.patch);
    if (after === false) {
      return `(the patch no longer applies to ${file}: the file changed since the run started)\n\n${before}`;
    }
    return after;
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
    this.reviews.set(key, { repo, files });
    for (const f of files) {
      this.changed.fire(this.uri({ key, file: f.file, side: 'before' }));
      this.changed.fire(this.uri({ key, file: f.file, side: 'after' }));
    }
    if (files.length === 1) {
      const f = files[0]!;
      await vscode.commands.executeCommand(
        'vscode.diff',
        this.uri({ key, file: f.file, side: 'before' }),
        this.uri({ key, file: f.file, side: 'after' }),
        `${title}: ${f.file}`,
        { preview: true },
      );
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
    return files;
  }

  /** re-read open diff sides (after Apply the "before" side is the patched file) */
  refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PATCH_SCHEME) this.changed.fire(doc.uri);
  }

  /** Discard: forget the reviews and close their editors */
  async discard(): Promise<void> {
    this.reviews.clear();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const input = t.input;
      if (input instanceof vscode.TabInputTextDiff) return input.modified.scheme === PATCH_SCHEME;
      if (input instanceof vscode.TabInputText) return input.uri.scheme === PATCH_SCHEME;
      return t.label.startsWith('ReasoningBank');
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
