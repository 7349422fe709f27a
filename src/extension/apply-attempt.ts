/**
 * What Apply and Apply Part share: which attempt is meant (an argument, the diff editor whose title bar was
 * clicked, or a pick among several), the checks before anything is written, and what follows an apply
 * (the run records it, the now stale diffs close).
 */
import * as vscode from 'vscode';
import type { ApplyPatchResult } from '../server/protocol';
import type { Services } from './services';
import { isProgrammaticArg, numberArg } from './services';
import type { RunState } from './runs';
import { assertTrusted } from './trust';

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

export interface AttemptToApply {
  run: RunState;
  index: number;
  patch: string;
  /** called with an argument object: no questions asked */
  programmatic: boolean;
}

/**
 * The attempt `arg` means, after the checks (trusted, a finished run, not yet applied or discarded, a
 * failing attempt confirmed); undefined when the person backed out.
 */
export async function attemptToApply(s: Services, arg: unknown, action: string): Promise<AttemptToApply | undefined> {
  assertTrusted(action);
  const run = s.runs.last;
  if (!run || run.phase === 'running') throw new Error(run ? 'the run is still going: wait for it to finish' : 'no patch to apply: run "Solve with memory" first');
  if (run.applied) throw new Error(`this run's patch is already applied (attempt #${(run.appliedAttempt ?? 0) + 1}${run.appliedPartially ? ', in part' : ''})`);
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
  return { run, ...chosen, programmatic };
}

/** Applies the attempt's patch (or only `parts` of it) through the engine; records it and closes the diffs when it went in. */
export async function applyAttempt(s: Services, a: AttemptToApply, parts?: string[]): Promise<ApplyPatchResult> {
  // a picker or a modal stood between the checks and now: the run must still be the one they were about
  if (s.runs.last !== a.run || a.run.applied || a.run.discarded) {
    throw new Error('the run changed while you were choosing (applied, discarded, or a new run started): nothing was applied');
  }
  const result = await s.engine.request('patch/apply', { repo: a.run.folder, patch: a.patch, ...(parts ? { parts } : {}) });
  const what = `attempt #${a.index + 1}${result.partial ? ' in part' : ''}`;
  if (result.applied) {
    s.runs.markApplied(a.run.ticket, a.index, !!result.partial);
    s.log.info(`applied ${what} of ${a.run.runId}: ${result.files.join(', ')}`);
    // the open diffs compared against the tree before Apply: close them rather than show a stale picture
    await (await s.review()).closeAll();
    if (!a.programmatic) void vscode.window.showInformationMessage(`ReasoningBank: applied ${what} to ${result.files.join(', ')}.`);
  } else if (!a.programmatic) {
    void vscode.window.showErrorMessage(`ReasoningBank: the patch does not apply to the working tree: ${result.error}`);
  }
  return result;
}
