/**
 * Solve and Scale ×k share this: check trust, gather settings, start the run in the engine, show
 * progress (cancellable), then offer review. Called with an argument object it asks nothing and resolves
 * to the engine's result — the same object `reasoningbank solve --json` prints.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { solveErrorOf, type SolveOutcome, type SolveParams } from '../server/protocol';
import type { Services } from './services';
import type { RunState } from './runs';
import { assertTrusted } from './trust';
import { llmConfig, memoryFileFor, readSettings, settingsProblems, worktreeDirFor } from './settings';
import { requireFolder } from './workspace-folder';
import { readApiKey } from './secrets';

export interface SolveArgs {
  issue: string;
  k?: number;
  mode?: 'parallel' | 'sequential';
  apply?: boolean;
}

/** Validates an argument object from code; throws a message that names the bad field. */
export function parseSolveArgs(arg: Record<string, unknown>): SolveArgs {
  const { issue, k, mode, apply } = arg;
  if (typeof issue !== 'string' || !issue.trim()) throw new Error('ReasoningBank: the argument needs "issue": a non-empty string');
  if (k !== undefined && (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 8)) throw new Error(`ReasoningBank: "k" must be a whole number from 1 to 8 (got ${JSON.stringify(k)})`);
  if (mode !== undefined && mode !== 'parallel' && mode !== 'sequential') throw new Error(`ReasoningBank: "mode" must be "parallel" or "sequential" (got ${JSON.stringify(mode)})`);
  if (apply !== undefined && typeof apply !== 'boolean') throw new Error(`ReasoningBank: "apply" must be true or false (got ${JSON.stringify(apply)})`);
  return { issue, k: k as number | undefined, mode: mode as SolveArgs['mode'], apply: apply as boolean | undefined };
}

function progressText(run: RunState | undefined): string {
  if (!run) return '';
  if (!run.attempts.length) return 'preparing…';
  if (run.k > 1) return run.attempts.map((a) => `#${a.index + 1} ${a.status === 'running' ? `step ${a.steps}` : a.status}`).join(' · ');
  const a = run.attempts[0]!;
  const last = [...run.events].reverse().find((e) => e.type === 'tool-call');
  return `step ${a.steps}${last && last.type === 'tool-call' ? ` · ${last.name}` : ''}`;
}

/** Without a key, a base URL or a VS Code model there is nothing to talk to: say how to fix it before starting. */
async function missingEndpoint(s: Services, settings: ReturnType<typeof readSettings>): Promise<string | undefined> {
  if (settings.provider !== 'openai-compatible' || settings.baseUrl.trim()) return undefined;
  if (process.env.OPENAI_BASE_URL || process.env.OPENAI_API_KEY) return undefined;
  if (await readApiKey(s.context.secrets)) return undefined;
  return 'no model endpoint is set: run "ReasoningBank: Set API key" for OpenAI, or set reasoningBank.baseUrl to a local OpenAI-compatible server (or reasoningBank.provider to "vscode-lm")';
}

export async function runSolve(s: Services, args: SolveArgs, interactive: boolean): Promise<SolveOutcome> {
  const k = args.k ?? 1;
  assertTrusted(k > 1 ? 'Scale ×k' : 'Solve with memory');
  const folder = requireFolder();
  const settings = readSettings(folder.uri);
  const problems = settingsProblems(settings);
  if (problems.length) {
    const message = `settings error: ${problems.join('; ')}`;
    if (interactive) {
      const pick = await vscode.window.showErrorMessage(`ReasoningBank: ${message}`, 'Open settings');
      if (pick === 'Open settings') void vscode.commands.executeCommand('reasoningBank.openSettings');
    }
    return { status: 'error', error: { code: 'usage', message } };
  }
  const missing = await missingEndpoint(s, settings);
  if (missing) {
    if (interactive) {
      const pick = await vscode.window.showErrorMessage(`ReasoningBank: ${missing}`, 'Set API key', 'Open settings');
      if (pick === 'Set API key') void vscode.commands.executeCommand('reasoningBank.setApiKey');
      if (pick === 'Open settings') void vscode.commands.executeCommand('reasoningBank.openSettings');
    }
    return { status: 'error', error: { code: 'usage', message: missing } };
  }
  const ticket = crypto.randomUUID();
  const mode = k > 1 ? (args.mode ?? 'parallel') : 'single';
  const token = s.runs.begin({ ticket, issue: args.issue, folder: folder.uri.fsPath, k, mode });
  s.log.info(`run ${ticket}: ${mode}${k > 1 ? ` ×${k}` : ''} in ${folder.uri.fsPath}`);
  void s.runView.reveal(true).then(undefined, () => undefined);
  const params: SolveParams = {
    ticket,
    repo: folder.uri.fsPath,
    issue: args.issue,
    k,
    mode: k > 1 ? (args.mode ?? 'parallel') : undefined,
    apply: !!args.apply,
    memoryFile: memoryFileFor(folder, settings),
    testCommand: settings.testCommand,
    maxSteps: settings.maxSteps,
    linkedFolders: settings.linkedFolders,
    worktreeDir: worktreeDirFor(folder, settings),
    llm: await llmConfig(settings, s.context.secrets),
    approval: { policy: settings.commandApproval, allowedCommands: [...settings.allowedCommands, ...s.alwaysAllowed()] },
  };
  let result: SolveOutcome;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: k > 1 ? `ReasoningBank ×${k}` : 'ReasoningBank', cancellable: true },
      async (progress, progressToken) => {
        progressToken.onCancellationRequested(() => s.runs.cancel());
        let shown = '';
        const sub = s.runs.onDidChange((run) => {
          const text = progressText(run);
          if (text !== shown) progress.report({ message: (shown = text) });
        });
        try {
          return await s.engine.request('solve/start', params, token);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result = token.isCancellationRequested
      ? { status: 'error', error: { code: 'cancelled', message: 'the run was cancelled' } }
      : { status: 'error', error: { code: (err as { code?: string }).code ?? 'internal', message } };
  }
  s.runs.finish(ticket, result);
  const error = solveErrorOf(result);
  s.log.info(`run ${ticket}: ${result.status}${error ? ` (${error.code}: ${error.message})` : ''}`);
  s.tree.refresh();
  if (interactive) void announce(result);
  return result;
}

async function announce(result: SolveOutcome): Promise<void> {
  const error = solveErrorOf(result);
  if (error || result.status === 'error' || !('patch' in result)) {
    if (error?.code === 'cancelled') return void vscode.window.showInformationMessage('ReasoningBank: run cancelled; its worktrees were removed.');
    const pick = await vscode.window.showErrorMessage(`ReasoningBank: the run failed: ${error?.message}`, 'Show log', 'Open settings');
    if (pick === 'Show log') void vscode.commands.executeCommand('workbench.action.output.show.reasoningbank-vscode.ReasoningBank');
    if (pick === 'Open settings') void vscode.commands.executeCommand('reasoningBank.openSettings');
    return;
  }
  const lessons = result.memory.added.length ? ` ${result.memory.added.length} new lesson${result.memory.added.length > 1 ? 's' : ''} in the memory bank.` : '';
  const hasPatch = !!result.patch.trim();
  if (result.applied) {
    void vscode.window.showInformationMessage(`ReasoningBank: resolved and applied.${lessons}`);
    return;
  }
  const buttons = hasPatch ? ['Review diff', 'Apply', 'Discard'] : ['Show run'];
  const text =
    result.status === 'resolved'
      ? `ReasoningBank: resolved in ${result.steps} steps (${result.judge.reason}).${result.applyError ? ` It was not applied: ${result.applyError}` : ''}${lessons}`
      : `ReasoningBank: not resolved (${result.judge.reason}).${lessons}`;
  const pick = await (result.status === 'resolved' ? vscode.window.showInformationMessage(text, ...buttons) : vscode.window.showWarningMessage(text, ...buttons));
  if (pick === 'Review diff') void vscode.commands.executeCommand('reasoningBank.reviewDiff');
  if (pick === 'Apply') void vscode.commands.executeCommand('reasoningBank.applyPatch');
  if (pick === 'Discard') void vscode.commands.executeCommand('reasoningBank.discardPatch');
  if (pick === 'Show run') void vscode.commands.executeCommand('reasoningBank.showRun');
}

/** Asks for the issue: an input box prefilled from the editor selection, or a Markdown file. */
export async function askIssue(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const box = vscode.window.createInputBox();
  box.title = 'ReasoningBank: describe the issue';
  box.prompt = 'What should change? (Enter to start; the file button takes the issue from a Markdown file)';
  box.placeholder = 'e.g. add() returns the wrong sum for negative numbers';
  box.value = selection;
  box.ignoreFocusOut = true;
  const fileButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('file'), tooltip: 'Use a Markdown file' };
  box.buttons = [fileButton];
  const answer = await new Promise<string | 'file' | undefined>((resolve) => {
    box.onDidAccept(() => {
      if (!box.value.trim()) {
        box.validationMessage = 'Describe the issue, or pick a Markdown file.';
        return;
      }
      resolve(box.value);
      box.hide();
    });
    box.onDidTriggerButton(() => {
      resolve('file');
      box.hide();
    });
    box.onDidHide(() => resolve(undefined));
    box.show();
  });
  box.dispose();
  if (answer !== 'file') return answer;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Markdown: ['md', 'markdown'], Text: ['txt'] }, openLabel: 'Use as issue' });
  if (!picked?.[0]) return undefined;
  const text = Buffer.from(await vscode.workspace.fs.readFile(picked[0])).toString('utf8');
  if (!text.trim()) {
    void vscode.window.showErrorMessage(`ReasoningBank: ${picked[0].fsPath} is empty`);
    return undefined;
  }
  return text;
}
