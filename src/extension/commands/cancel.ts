import * as vscode from 'vscode';
import type { CommandDef } from '../services';

/** reasoningBank.cancel — stops the running run; the engine removes its worktrees. */
export default {
  id: 'reasoningBank.cancel',
  run(s) {
    const cancelled = s.runs.cancel();
    if (!cancelled) void vscode.window.showInformationMessage('ReasoningBank: no run in progress.');
    return cancelled;
  },
} satisfies CommandDef;
