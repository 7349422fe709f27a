import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { askIssue, checkEndpoint, parseSolveArgs, runSolve } from '../run-solve';
import { currentFolder } from '../workspace-folder';
import { readSettings } from '../settings';
import { assertTrusted } from '../trust';

/** reasoningBank.scale — MaTTS: k attempts (parallel worktrees or sequential refinement). */
export default {
  id: 'reasoningBank.scale',
  async run(s, arg?: unknown) {
    const defaultK = Math.min(8, Math.max(2, readSettings().k));
    if (isProgrammaticArg(arg)) {
      const args = await parseSolveArgs(arg);
      return runSolve(s, { ...args, k: args.k ?? defaultK }, false);
    }
    assertTrusted('Scale ×k');
    if (await checkEndpoint(s, readSettings(currentFolder()?.uri), true)) return undefined;
    const kPick = await vscode.window.showQuickPick(
      [2, 3, 4, 5, 6, 7, 8].map((k) => ({ label: `×${k}`, description: k === defaultK ? 'default (reasoningBank.k)' : undefined, k })),
      { title: 'ReasoningBank: how many attempts?', placeHolder: `k (default ${defaultK})` },
    );
    if (!kPick) return undefined;
    const modePick = await vscode.window.showQuickPick(
      [
        { label: 'Parallel', detail: 'k independent attempts in separate git worktrees; the best one is kept, their contrast becomes lessons', mode: 'parallel' as const },
        { label: 'Sequential', detail: 'one attempt that re-checks and refines its own work up to k rounds', mode: 'sequential' as const },
      ],
      { title: `ReasoningBank ×${kPick.k}: mode` },
    );
    if (!modePick) return undefined;
    const issue = await askIssue();
    if (!issue) return undefined;
    return runSolve(s, { issue, k: kPick.k, mode: modePick.mode }, true);
  },
} satisfies CommandDef;
