/**
 * Solve and Scale ×k share this: check trust, gather settings, start the run in the engine, show
 * progress (cancellable), then offer review. Called with an argument object it asks nothing and resolves
 * to the engine's result — the same object `reasoningbank solve --json` prints.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { solveErrorOf, type SolveOutcome, type SolveParams, type UntrustedMemory } from '../server/protocol';
import { isProgrammaticArg, type Services } from './services';
import type { RunState } from './runs';
import { assertTrusted } from './trust';
import { llmConfig, memoryFileFor, readSettings, settingsProblems, worktreeDirFor, type Settings } from './settings';
import { requireFolder } from './workspace-folder';
import { readApiKey } from './secrets';
import { confirmedIdentity, rememberConfirmed } from './trusted-banks';
import type { SolveArgs } from '../server/solve-args';


const SOLVE_FIELDS = ['issue', 'k', 'mode', 'apply'];

/**
 * Whether a command got a solve argument object from code. A menu passes VS Code's own context object
 * (no solve field in it): that is a click, and the person is asked as usual.
 */
export function isSolveArg(arg: unknown): arg is Record<string, unknown> {
  return isProgrammaticArg(arg) && SOLVE_FIELDS.some((f) => f in arg);
}

/** An argument object from code, checked as the engine checks it; a bad field rejects, naming it. */
export async function parseSolveArgs(arg: Record<string, unknown>): Promise<SolveArgs> {
  const { parseSolveArgs: parse } = await import('../server/solve-args');
  try {
    return parse(arg);
  } catch (err) {
    throw new Error(`ReasoningBank: ${err instanceof Error ? err.message : String(err)}`);
  }
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
async function missingEndpoint(s: Services, settings: Settings): Promise<string | undefined> {
  if (settings.provider === 'vscode-lm') {
    const lm = await import('./lm-bridge');
    return (await lm.findChatModel(settings.model)) ? undefined : lm.noChatModelMessage(settings.model);
  }
  if (settings.baseUrl.trim()) return undefined;
  if (process.env.OPENAI_BASE_URL || process.env.OPENAI_API_KEY) return undefined;
  if (await readApiKey(s.context.secrets)) return undefined;
  return 'no model endpoint is set: run "ReasoningBank: Set API key" for OpenAI, or set reasoningBank.baseUrl to a local OpenAI-compatible server (or reasoningBank.provider to "vscode-lm")';
}

/**
 * The endpoint problem, if any; a person is told how to fix it (with a button for it). Interactive
 * commands call this before asking for the issue, so nobody types an issue only to hear there is no model.
 */
export async function checkEndpoint(s: Services, settings: Settings, interactive: boolean): Promise<string | undefined> {
  const missing = await missingEndpoint(s, settings);
  if (missing && interactive) {
    const fix = settings.provider === 'vscode-lm' ? 'Select language model' : 'Set API key';
    void vscode.window.showErrorMessage(`ReasoningBank: ${missing}`, fix, 'Open settings').then((pick) => {
      if (pick === 'Set API key') void vscode.commands.executeCommand('reasoningBank.setApiKey');
      if (pick === 'Select language model') void vscode.commands.executeCommand('reasoningBank.selectModel');
      if (pick === 'Open settings') void vscode.commands.executeCommand('reasoningBank.openSettings');
    });
  }
  return missing;
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
  const missing = await checkEndpoint(s, settings, interactive);
  if (missing) return { status: 'error', error: { code: 'usage', message: missing } };
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
    network: settings.network,
    trustedMemory: confirmedIdentity(s.context.workspaceState, memoryFileFor(folder, settings)),
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
  if (interactive && error?.untrustedMemory && (await confirmBank(s, error.untrustedMemory))) {
    return runSolve(s, args, interactive);
  }
  if (interactive) void announce(s, result);
  return result;
}

/**
 * A bank that came with the repository or from another user is used once the user confirms it, by name;
 * what is remembered is this version of it, so a bank that changed since is asked about again.
 */
async function confirmBank(s: Services, bank: UntrustedMemory): Promise<boolean> {
  const pick = await vscode.window.showWarningMessage(
    bank.changed ? `The memory bank ${bank.file} changed since you trusted it. Use this version?` : `Use the memory bank ${bank.file}?`,
    {
      modal: true,
      detail:
        `It ${bank.reason}. Its lessons are shown to the agent as advice; a bank from elsewhere could carry instructions. ` +
        `Review it in the Memory view first if unsure.${bank.changed ? ' Until you confirm it, runs do not use it.' : ''}`,
    },
    'Use this bank',
  );
  if (pick !== 'Use this bank') return false;
  await rememberConfirmed(s.context.workspaceState, bank);
  return true;
}

async function announce(s: Services, result: SolveOutcome): Promise<void> {
  const error = solveErrorOf(result);
  if (error || result.status === 'error' || !('patch' in result)) {
    if (error?.code === 'cancelled') return void vscode.window.showInformationMessage('ReasoningBank: run cancelled; its worktrees were removed.');
    const pick = await vscode.window.showErrorMessage(`ReasoningBank: the run failed: ${error?.message}`, 'Show log', 'Open settings');
    if (pick === 'Show log') s.log.show(true);
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

const WRITE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('markdown'), tooltip: 'Write the issue in a Markdown editor (several lines)' };
const FILE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('file'), tooltip: 'Use a Markdown file' };

/** The whole text of a document (an open editor's unsaved text included) as the issue. */
async function issueFromDocument(uri: vscode.Uri): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  if (!text.trim()) {
    void vscode.window.showErrorMessage(`ReasoningBank: ${vscode.workspace.asRelativePath(uri)} is empty: write the issue in it first`);
    return undefined;
  }
  return text;
}

/** An untitled Markdown editor to write the issue in; Solve / Scale in its title bar take its text. */
async function openIssueEditor(content = ''): Promise<undefined> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc);
  void vscode.window.showInformationMessage('ReasoningBank: write the issue here, then press "Solve with memory" (or "Scale ×k…") in this editor\'s title bar.');
  return undefined;
}

/** A selection of several lines is taken as it is (line breaks kept), or opened in a Markdown editor first. */
async function confirmSelection(selection: string): Promise<string | undefined> {
  const lines = selection.split('\n');
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(sparkle) Use the selected text as the issue', detail: `${lines[0]!.slice(0, 100)}${lines.length > 1 ? ` … (${lines.length} lines)` : ''}`, edit: false },
      { label: '$(markdown) Edit it first in a Markdown editor', edit: true },
    ],
    { title: 'ReasoningBank: the issue', ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  return pick.edit ? openIssueEditor(selection) : selection;
}

/**
 * Asks for the issue. From an editor's title bar (a URI): that document's text. A multi-line selection:
 * kept as it is. Otherwise an input box (prefilled with a one-line selection) whose buttons open a Markdown
 * editor for a longer text or take a Markdown file.
 */
export async function askIssue(arg?: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return issueFromDocument(arg);
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).replace(/\r\n/g, '\n') : '';
  if (selection.trim().includes('\n')) return confirmSelection(selection.trim());
  const box = vscode.window.createInputBox();
  box.title = 'ReasoningBank: describe the issue';
  box.prompt = 'What should change? Enter starts. For several lines use the Markdown button; the file button takes a Markdown file.';
  box.placeholder = 'e.g. add() returns the wrong sum for negative numbers';
  box.value = selection;
  box.ignoreFocusOut = true;
  box.buttons = [WRITE_BUTTON, FILE_BUTTON];
  let typed = '';
  const answer = await new Promise<string | vscode.QuickInputButton | undefined>((resolve) => {
    box.onDidAccept(() => {
      if (!box.value.trim()) {
        box.validationMessage = 'Describe the issue, or use the buttons for a Markdown editor or file.';
        return;
      }
      resolve(box.value);
      box.hide();
    });
    box.onDidTriggerButton((b) => {
      typed = box.value;
      resolve(b);
      box.hide();
    });
    box.onDidHide(() => resolve(undefined));
    box.show();
  });
  box.dispose();
  if (answer === WRITE_BUTTON) return openIssueEditor(typed);
  if (answer !== FILE_BUTTON) return answer as string | undefined;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Markdown: ['md', 'markdown'], Text: ['txt'] }, openLabel: 'Use as issue' });
  return picked?.[0] ? issueFromDocument(picked[0]) : undefined;
}
