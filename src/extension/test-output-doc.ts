/**
 * A run's test output (`*.tests.txt` in its run record) shown read-only: a virtual document
 * (`reasoningbank-test-output:`) whose content is the file, checked on every read (test-output-file.ts), so
 * it is never edited, saved over, or interpreted as anything but text.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checkTestOutputFile, TestOutputRefused } from './test-output-file';

export const TEST_OUTPUT_SCHEME = 'reasoningbank-test-output';

function uriOf(file: string): vscode.Uri {
  // the tab shows the file's name; the run id in the path tells runs apart
  const name = `/${path.basename(path.dirname(file))}/${path.basename(file)}`;
  return vscode.Uri.from({ scheme: TEST_OUTPUT_SCHEME, path: name, query: new URLSearchParams({ file }).toString() });
}

/** the file's real path if it belongs to a run record of an open workspace folder */
function checkedInWorkspace(file: string): string {
  let refused: unknown = new TestOutputRefused(`not opening ${JSON.stringify(file)}: no workspace folder is open`);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      return checkTestOutputFile(file, folder.uri.fsPath);
    } catch (err) {
      refused = err;
    }
  }
  throw refused;
}

export class TestOutputDocs implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const file = new URLSearchParams(uri.query).get('file') ?? '';
    return fs.readFileSync(checkedInWorkspace(file), 'utf8');
  }
}

/** Opens a run's test output file beside the run view; refuses (throws) anything else. */
export async function openTestOutput(file: string, workspaceFolder: string): Promise<vscode.TextEditor> {
  const real = checkTestOutputFile(file, workspaceFolder);
  const doc = await vscode.workspace.openTextDocument(uriOf(real));
  return vscode.window.showTextDocument(doc, { preview: true });
}
