/**
 * The run view (a webview in the ReasoningBank container): the live steps of the current run — tool
 * calls and their truncated outputs, test results, verdicts, the lessons retrieved and added — and for
 * ×k the attempts side by side (why one was chosen, which was applied), each with its own timeline, with
 * Review diff / Apply / Apply part / Discard. The page script is media/run-view.js.
 */
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { RunController, RunState } from './runs';
import { openTestOutput } from './test-output-doc';

export const RUN_VIEW_ID = 'reasoningBank.run';

/** What the page (media/run-view.js) sends. */
type FromPage =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'review'; attempt: number }
  | { type: 'apply'; attempt: number }
  | { type: 'applyPart'; attempt: number }
  | { type: 'discard' }
  | { type: 'openMemory'; id: string }
  /** an attempt's test output: the page names the attempt, the path comes from the run's own state */
  | { type: 'testOutput'; attempt: number }
  | { type: 'manageTrust' };

/** A run as the page draws it: long texts clipped, patches replaced by their size, file paths by a flag. */
export type PageState = Omit<RunState, 'result' | 'attempts' | 'events'> & {
  attempts: (Omit<RunState['attempts'][number], 'patch' | 'testOutput'> & { hasPatch: boolean; patchLines: number; hasTestOutput: boolean })[];
  events: unknown[];
};

/** What the page is sent: the whole state, each time it changes. */
type ToPage = { type: 'state'; state: PageState | null; trusted: boolean };

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n / 2)}\n… ${s.length - n} characters cut …\n${s.slice(-n / 2)}` : s;
}

/** what the page gets: the state with long texts clipped so a message stays small */
export function pageState(run: RunState | undefined): PageState | null {
  if (!run) return null;
  const { result: _result, ...rest } = run;
  return {
    ...rest,
    attempts: run.attempts.map(({ patch, testOutput, ...a }) => ({ ...a, hasPatch: !!patch.trim(), patchLines: patch.split('\n').length, hasTestOutput: !!testOutput })),
    events: run.events
      .filter((e) => e.type !== 'step' && !(e.type === 'log' && e.level === 'debug'))
      .map((e) => {
        if (e.type === 'tool-result') return { ...e, output: clip(e.output, 2000) };
        if (e.type === 'tool-call') return { ...e, args: clip(e.args, 1000) };
        if (e.type === 'assistant') return { ...e, text: clip(e.text, 1500) };
        if (e.type === 'tests') return { ...e, result: { ...e.result, output: clip(e.result.output, 1500) } };
        if (e.type === 'attempt-end') return { ...e, patch: undefined };
        return e;
      }),
  };
}

export class RunViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
  ) {
    this.subs.push(
      runs.onDidChange(() => this.schedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.post()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'run-view.js'));
    const style = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'run-view.css'));
    view.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${view.webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet"><title>ReasoningBank run</title></head>
<body><div id="root"><p class="empty">No run yet. Run <b>ReasoningBank: Solve with memory</b> or <b>Scale ×k…</b>.</p></div>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
    view.webview.onDidReceiveMessage((m: FromPage) => this.onMessage(m), undefined, this.subs);
    view.onDidChangeVisibility(() => view.visible && this.post(), undefined, this.subs);
    view.onDidDispose(() => (this.view = undefined), undefined, this.subs);
  }

  private onMessage(m: FromPage): void {
    switch (m.type) {
      case 'ready':
        this.post();
        break;
      case 'cancel':
        void vscode.commands.executeCommand('reasoningBank.cancel');
        break;
      case 'review':
        void vscode.commands.executeCommand('reasoningBank.reviewDiff', { attempt: m.attempt, fromView: true });
        break;
      case 'apply':
        void vscode.commands.executeCommand('reasoningBank.applyPatch', { attempt: m.attempt, fromView: true });
        break;
      case 'applyPart':
        void vscode.commands.executeCommand('reasoningBank.applyPart', { attempt: m.attempt, fromView: true });
        break;
      case 'discard':
        void vscode.commands.executeCommand('reasoningBank.discardPatch');
        break;
      case 'openMemory':
        void vscode.commands.executeCommand('reasoningBank.openMemoryItem', m.id);
        break;
      case 'manageTrust':
        void vscode.commands.executeCommand('workbench.trust.manage');
        break;
      case 'testOutput':
        this.showTestOutput(m.attempt);
        break;
    }
  }

  /** the attempt's file as the engine reported it; opened only if it is a run record of the run's folder */
  private showTestOutput(attempt: unknown): void {
    const run = this.runs.last;
    const file = run?.attempts.find((a) => a.index === attempt)?.testOutput;
    if (!run || !file) return;
    openTestOutput(file, run.folder).then(undefined, (err: unknown) => {
      void vscode.window.showErrorMessage(`ReasoningBank: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  // events can come in bursts (k attempts): repaint at most ~10 times a second
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.post();
    }, 100);
  }

  private post(): void {
    if (!this.view) return;
    // Restricted Mode hides Solve: the page says why instead of showing nothing
    const message: ToPage = { type: 'state', state: pageState(this.runs.last), trusted: vscode.workspace.isTrusted };
    void this.view.webview.postMessage(message);
  }

  async reveal(preserveFocus = true): Promise<void> {
    await vscode.commands.executeCommand(`${RUN_VIEW_ID}.focus`, { preserveFocus });
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subs.forEach((d) => d.dispose());
  }
}
