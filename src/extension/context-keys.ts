/**
 * The `when`-clause keys our menus read, kept in step with the run: `reasoningBank.running` (Cancel shows,
 * Solve hides) and `reasoningBank.hasPatch` (Review / Apply / Discard show only when there is a patch to act on).
 */
import * as vscode from 'vscode';
import type { RunController, RunState } from './runs';

export function hasPendingPatch(run: RunState | undefined): boolean {
  return !!run && run.phase !== 'running' && !run.applied && !run.discarded && run.attempts.some((a) => a.patch.trim());
}

export function trackRunContextKeys(runs: RunController): vscode.Disposable {
  const shown = new Map<string, boolean>();
  const set = (key: string, value: boolean) => {
    if (shown.get(key) === value) return;
    shown.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const update = (run: RunState | undefined) => {
    set('reasoningBank.running', run?.phase === 'running');
    set('reasoningBank.hasPatch', hasPendingPatch(run));
  };
  update(runs.last);
  return runs.onDidChange(update);
}
