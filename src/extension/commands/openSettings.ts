import * as vscode from 'vscode';
import type { CommandDef } from '../services';

/** reasoningBank.openSettings — the Settings editor filtered to this extension. */
export default {
  id: 'reasoningBank.openSettings',
  async run() {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'reasoningBank.');
  },
} satisfies CommandDef;
