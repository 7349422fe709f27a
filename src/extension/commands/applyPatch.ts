import * as vscode from 'vscode';
import type { ApplyPatchResult } from '../../server/protocol';
import type { CommandDef } from '../services';
import { isProgrammaticArg, numberArg } from '../services';
import { assertTrusted } from '../trust';

/**
 * reasoningBank.applyPatch — puts the chosen (or a picked) attempt's patch into the working tree.
 * Argument `{attempt?: number}`: no questions, resolves to `{applied, files, error?}`.
 */
export default {
  id: 'reasoningBank.applyPatch',
  async run(s, arg?: unknown): Promise<ApplyPatchResult | undefined> {
    assertTrusted('Apply patch');
    const run = s.runs.last;
    if (!run || run.phase === 'running') throw new Error(run ? 'the run is still going: wait for it to finish' : 'no patch to apply: run "Solve with memory" first');
    if (run.applied) throw new Error('this run\'s patch is already applied');
    if (run.discarded) throw new Error('this run\'s patch was discarded (it is still saved under .reasoningbank/runs/)');
    const programmatic = isProgrammaticArg(arg);
    let attempt = numberArg(arg, 'attempt');
    const withPatch = run.attempts.filter((a) => a.patch.trim());
    if (attempt === undefined && !programmatic && withPatch.length > 1) {
      const pick = await vscode.window.showQuickPick(
        withPatch.map((a) => ({
          label: `Attempt #${a.index + 1}${a.index === run.chosen ? ' (chosen)' : ''}`,
          description: `${a.status} · ${a.steps} steps${a.tests ? ` · tests ${a.tests}` : ''}`,
          index: a.index,
        })),
        { title: 'ReasoningBank: apply which attempt?' },
      );
      if (!pick) return undefined;
      attempt = pick.index;
    }
    const chosen = s.runs.patchOf(attempt);
    if (!chosen) throw new Error(`attempt #${(attempt ?? run.chosen ?? 0) + 1} has no patch to apply`);
    const result = await s.engine.request('patch/apply', { repo: run.folder, patch: chosen.patch });
    if (result.applied) {
      s.runs.markApplied();
      s.log.info(`applied attempt #${chosen.index + 1} of ${run.runId}: ${result.files.join(', ')}`);
      if (!programmatic) void vscode.window.showInformationMessage(`ReasoningBank: applied to ${result.files.join(', ')}.`);
      (await s.review()).refreshOpen();
    } else if (!programmatic) {
      void vscode.window.showErrorMessage(`ReasoningBank: the patch does not apply to the working tree: ${result.error}`);
    }
    return result;
  },
} satisfies CommandDef;
