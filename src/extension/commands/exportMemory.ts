import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';

/** reasoningBank.exportMemory — the bank as JSONL (one item a line). `{file}` writes there without asking. */
export default {
  id: 'reasoningBank.exportMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    let target: vscode.Uri | undefined;
    if (isProgrammaticArg(arg) && typeof arg.file === 'string') target = vscode.Uri.file(arg.file);
    else {
      target = await vscode.window.showSaveDialog({
        // not the workspace: an export dropped there becomes an untracked file in the user's repository
        defaultUri: vscode.Uri.file(path.join(os.homedir(), `reasoningbank-memory-${new Date().toISOString().slice(0, 10)}.jsonl`)),
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
