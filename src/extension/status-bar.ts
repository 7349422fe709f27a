/** A status bar item while a run is going (attempt, step); a click opens the run view. Hidden otherwise. */
import * as vscode from 'vscode';
import type { RunController, RunState } from './runs';

export function createRunStatusBar(runs: RunController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('reasoningBank.run', vscode.StatusBarAlignment.Left, 50);
  item.name = 'ReasoningBank run';
  item.command = 'reasoningBank.showRun';
  let hideTimer: NodeJS.Timeout | undefined;
  const render = (run: RunState | undefined) => {
    if (hideTimer) clearTimeout(hideTimer);
    if (!run) return item.hide();
    if (run.phase === 'running') {
      const steps = run.attempts.map((a) => a.steps);
      const where = run.k > 1 ? `×${run.k} · steps ${steps.join('/') || '0'}` : `step ${steps[0] ?? 0}`;
      item.text = `$(sync~spin) ReasoningBank: ${where}`;
      item.tooltip = `Solving: ${run.issue.slice(0, 200)}\nClick to open the run view; "ReasoningBank: Cancel run" stops it.`;
      item.backgroundColor = undefined;
    } else {
      const icon = run.phase === 'resolved' ? '$(pass)' : run.phase === 'cancelled' ? '$(circle-slash)' : '$(error)';
      item.text = `${icon} ReasoningBank: ${run.phase}`;
      item.tooltip = run.error ?? `Run ${run.runId ?? ''} ${run.phase}. Click to review.`;
      hideTimer = setTimeout(() => item.hide(), 15000);
    }
    item.show();
  };
  const sub = runs.onDidChange(render);
  return vscode.Disposable.from(item, sub, { dispose: () => hideTimer && clearTimeout(hideTimer) });
}
