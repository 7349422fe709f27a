/** Which workspace folder a command works on: the active editor's, else the first one. */
import * as vscode from 'vscode';

export function currentFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = active && active.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  return fromEditor ?? vscode.workspace.workspaceFolders?.[0];
}

export function requireFolder(): vscode.WorkspaceFolder {
  const folder = currentFolder();
  if (!folder) throw new Error('open a folder (a git repository) first: ReasoningBank works on a workspace folder');
  return folder;
}
