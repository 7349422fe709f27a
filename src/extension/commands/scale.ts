import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { askIssue, checkEndpoint, isSolveArg, parseSolveArgs, runSolve } from '../run-solve';
import { currentFolder } from '../workspace-folder';
import { readSettings } from '../settings';
import { assertTrusted } from '../trust';

/** k from a picker whose highlighted row is the default (reasoningBank.k), so Enter takes it */
async function pickK(defaultK: number): Promise<number | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { k: number }>();
  qp.title = 'ReasoningBank: how many attempts?';
  qp.placeholder = `k (default ${defaultK})`;
  qp.items = [2, 3, 4, 5, 6, 7, 8].map((k) => ({ label: `×${k}`, description: k === defaultK ? 'default (reasoningBank.k)' : undefined, k }));
  qp.activeItems = qp.items.filter((i) => i.k === defaultK);
  const k = await new Promise<number | undefined>((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.k ?? qp.activeItems[0]?.k);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  return k;
}

/** reasoningBank.scale — MaTTS: k attempts (parallel worktrees or sequential refinement). */
export default {
  id: 'reasoningBank.scale',
  async run(s, arg?: unknown) {
    const defaultK = Math.min(8, Math.max(2, readSettings().k));
    if (isSolveArg(arg)) {
      const args = await parseSolveArgs(arg);
      return runSolve(s, { ...args, k: args.k ?? defaultK }, false);
    }
    assertTrusted('Scale ×k');
    if (await checkEndpoint(s, readSettings(currentFolder()?.uri), true)) return undefined;
    const k = await pickK(defaultK);
    if (!k) return undefined;
    const modePick = await vscode.window.showQuickPick(
      [
        { label: 'Parallel', detail: 'k independent attempts in separate git worktrees; the best one is kept, their contrast becomes lessons', mode: 'parallel' as const },
        { label: 'Sequential', detail: 'one attempt that re-checks and refines its own work up to k rounds', mode: 'sequential' as const },
      ],
      { title: `ReasoningBank ×${k}: mode` },
    );
    if (!modePick) return undefined;
    const issue = await askIssue(arg);
    if (!issue) return undefined;
    return runSolve(s, { issue, k, mode: modePick.mode }, true);
  },
} satisfies CommandDef;
