import * as vscode from 'vscode';
import type { ApplyPatchResult } from '../../server/protocol';
import type { CommandDef, Services } from '../services';
import { isProgrammaticArg, numberArg } from '../services';
import type { RunState } from '../runs';
import { assertTrusted } from '../trust';

/** The attempt a diff editor's title bar means: its resource (or the active tab) names the run and attempt. */
async function attemptOfEditor(s: Services, run: RunState, arg: unknown): Promise<number | undefined> {
  if (!(arg instanceof vscode.Uri)) return undefined;
  const of = (await s.review()).attemptOf(arg);
  if (!of) return undefined;
  if (of.ticket !== run.ticket) throw new Error('this diff belongs to an earlier run: review the latest run\'s patch from the Run view');
  return of.attempt;
}

/** a failing attempt goes in only after the person said so */
async function confirmFailing(run: RunState, index: number): Promise<boolean> {
  const a = run.attempts.find((x) => x.index === index);
  if (!a || a.status === 'resolved') return true;
  const why = a.tests ? `Its tests: ${a.tests}.` : (a.verdict ?? a.status);
  const pick = await vscode.window.showWarningMessage(
    `Attempt #${index + 1} did not resolve the issue. Apply it anyway?`,
    { modal: true, detail: `${why}${run.chosen !== undefined && run.chosen !== index ? `\n\nThe chosen attempt is #${run.chosen + 1}.` : ''}` },
    'Apply anyway',
  );
  return pick === 'Apply anyway';
}

/**
 * reasoningBank.applyPatch — puts the chosen (or a picked) attempt's patch into the working tree.
 * Argument `{attempt?: number}`: no questions, resolves to `{applied, files, error?}`. From a diff editor's
 * title bar: the attempt that diff shows.
 */
export default {
  id: 'reasoningBank.applyPatch',
  async run(s, arg?: unknown): Promise<ApplyPatchResult | undefined> {
    assertTrusted('Apply patch');
    const run = s.runs.last;
    if (!run || run.phase === 'running') throw new Error(run ? 'the run is still going: wait for it to finish' : 'no patch to apply: run "Solve with memory" first');
    if (run.applied) throw new Error(`this run's patch is already applied (attempt #${(run.appliedAttempt ?? 0) + 1})`);
    if (run.discarded) throw new Error('this run\'s patch was discarded (it is still saved under .reasoningbank/runs/)');
    const programmatic = isProgrammaticArg(arg);
    let attempt = numberArg(arg, 'attempt') ?? (await attemptOfEditor(s, run, arg));
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
    if (!programmatic && !(await confirmFailing(run, chosen.index))) return undefined;
    const result = await s.engine.request('patch/apply', { repo: run.folder, patch: chosen.patch });
    if (result.applied) {
      s.runs.markApplied(chosen.index);
      s.log.info(`applied attempt #${chosen.index + 1} of ${run.runId}: ${result.files.join(', ')}`);
      // the open diffs compared against the tree before Apply: close them rather than show a stale picture
      await (await s.review()).closeAll();
      if (!programmatic) void vscode.window.showInformationMessage(`ReasoningBank: applied attempt #${chosen.index + 1} to ${result.files.join(', ')}.`);
    } else if (!programmatic) {
      void vscode.window.showErrorMessage(`ReasoningBank: the patch does not apply to the working tree: ${result.error}`);
    }
    return result;
  },
} satisfies CommandDef;
