/**
 * Refreshes the memory view when the memory file changes on disk — written by the CLI, another window
 * or this window's engine. Memory writes are temp + rename, so the folder is watched for the file's name
 * rather than the file itself.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { memoryFileFor } from './settings';

export class MemoryWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly onChange: () => void) {
    this.rewatch();
    this.subs.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rewatch()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('reasoningBank.memoryPath')) {
          this.rewatch();
          this.fire();
        }
      }),
    );
  }

  private rewatch(): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const file = memoryFileFor(folder);
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      w.onDidChange(() => this.fire());
      w.onDidCreate(() => this.fire());
      w.onDidDelete(() => this.fire());
      this.watchers.push(w);
    }
  }

  /** several writes in a burst (a lock, a rename) become one refresh */
  fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, 250);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watchers.forEach((w) => w.dispose());
    this.subs.forEach((s) => s.dispose());
  }
}
