import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';
import { requireFolder } from '../workspace-folder';

/** reasoningBank.exportMemory — the bank as JSONL (one item a line). `{file}` writes there without asking. */
export default {
  id: 'reasoningBank.exportMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    let target: vscode.Uri | undefined;
    if (isProgrammaticArg(arg) && typeof arg.file === 'string') target = vscode.Uri.file(arg.file);
    else {
      target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(requireFolder().uri.fsPath, 'reasoningbank-memory.jsonl')),
        filters: { 'JSON Lines': ['jsonl'] },
        saveLabel: 'Export memory',
      });
    }
    if (!target) return undefined;
    const { jsonl, count } = await s.engine.request('memory/export', { memoryFile });
    await vscode.workspace.fs.writeFile(target, Buffer.from(jsonl, 'utf8'));
    if (!isProgrammaticArg(arg)) void vscode.window.showInformationMessage(`ReasoningBank: exported ${count} lesson${count === 1 ? '' : 's'} to ${target.fsPath}.`);
    return { file: target.fsPath, count };
  },
} satisfies CommandDef;
