import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';

/** reasoningBank.importMemory — adds the items of a JSONL export; exact duplicates are skipped. `{file}` asks nothing. */
export default {
  id: 'reasoningBank.importMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    let source: vscode.Uri | undefined;
    if (isProgrammaticArg(arg) && typeof arg.file === 'string') source = vscode.Uri.file(arg.file);
    else {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines': ['jsonl', 'json'] }, openLabel: 'Import memory' });
      source = picked?.[0];
    }
    if (!source) return undefined;
    const jsonl = Buffer.from(await vscode.workspace.fs.readFile(source)).toString('utf8');
    const result = await s.engine.request('memory/import', { memoryFile, jsonl });
    s.tree.refresh();
    if (!isProgrammaticArg(arg)) {
      void vscode.window.showInformationMessage(`ReasoningBank: imported ${result.added} lesson${result.added === 1 ? '' : 's'}${result.skipped ? `, skipped ${result.skipped} already in the bank` : ''}.`);
    }
    return result;
  },
} satisfies CommandDef;
