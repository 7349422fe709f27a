import * as vscode from 'vscode';
import type { CommandDef } from '../services';

/** reasoningBank.showMemory — reveals the memory bank view. */
export default {
  id: 'reasoningBank.showMemory',
  async run(s) {
    await vscode.commands.executeCommand('reasoningBank.memory.focus');
    s.tree.refresh();
  },
} satisfies CommandDef;
