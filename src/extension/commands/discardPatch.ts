import * as vscode from 'vscode';
import type { CommandDef } from '../services';

/** reasoningBank.discardPatch — throws the run's patch away (the run record on disk keeps a copy) and closes its diffs. */
export default {
  id: 'reasoningBank.discardPatch',
  async run(s) {
    if (!s.runs.last || s.runs.active) return false;
    s.runs.markDiscarded();
    await (await s.review()).closeAll();
    void vscode.window.setStatusBarMessage('ReasoningBank: patch discarded', 3000);
    return true;
  },
} satisfies CommandDef;
