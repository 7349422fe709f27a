/**
 * Activation builds only cheap things: the log channel, the command handlers, the memory view's provider,
 * the run view and the status bar. The engine process (and with it sql.js and the LLM client) starts on
 * first need, so activation stays within a few milliseconds.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { Engine } from './engine-process';
import { askApproval } from './approval';
import { MemoryTreeProvider, MEMORY_VIEW_ID, type MemoryNode } from './memory-tree';
import { MemoryWatcher } from './memory-watcher';
import { EDIT_SCHEME, LessonEditProvider, LessonViewProvider, VIEW_SCHEME } from './memory-docs';
import { RunController } from './runs';
import { RunViewProvider, RUN_VIEW_ID } from './run-view';
import { TEST_OUTPUT_SCHEME, TestOutputDocs } from './test-output-doc';
import { createRunStatusBar } from './status-bar';
import { trackRunContextKeys } from './context-keys';
import { openWalkthroughOnce } from './first-run';
import { isProgrammaticArg, type Services } from './services';
import { currentFolder } from './workspace-folder';
import type { DiffReview } from './diff-review';
import type { EngineEvent } from '../engine/events';

const ALWAYS_ALLOWED_KEY = 'reasoningBank.alwaysAllowedCommands';

export interface ReasoningBankApi {
  /** milliseconds activate() took */
  readonly activationMs: number;
  /** whether the engine process has been started */
  engineRunning(): boolean;
  readonly memoryTree: MemoryTreeProvider;
  readonly runs: RunController;
  readonly commandIds: string[];
}

function logEvent(log: vscode.LogOutputChannel, e: EngineEvent): void {
  switch (e.type) {
    case 'log':
      log[e.level === 'warn' ? 'warn' : e.level](e.message);
      break;
    case 'tool-call':
      log.debug(`#${e.attempt + 1} step ${e.step}: ${e.name} ${e.args.slice(0, 300)}`);
      break;
    case 'tool-result':
      log.trace(`#${e.attempt + 1} ${e.name} → ${e.output.slice(0, 500)}`);
      break;
    case 'verdict':
      log.info(`#${e.attempt + 1} verdict: ${e.verdict.success ? 'success' : 'failure'} (${e.verdict.decidedBy}) ${e.verdict.reason}`);
      break;
    case 'memory-added':
      log.info(`lessons added: ${e.items.map((i) => i.title).join('; ')}`);
      break;
    case 'run-start':
    case 'run-end':
    case 'attempt-end':
      log.info(`${e.type} ${JSON.stringify({ ...e, patch: undefined })}`);
      break;
    default:
      break;
  }
}

export function activate(context: vscode.ExtensionContext): ReasoningBankApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ReasoningBank', { log: true });
  const runs = new RunController();
  let watcher: MemoryWatcher | undefined;
  let s: Services;

  const engine = new Engine(context, log, {
    runEvent: ({ ticket, event }) => {
      runs.event(ticket, event);
      logEvent(log, event);
    },
    memoryChanged: () => watcher?.fire(),
    serverLog: ({ level, message }) => log[level === 'warn' ? 'warn' : level](message),
    approval: (p, token) => askApproval(p, token, (command) => s.allowAlways(command), runs.active?.testCommand),
    complete: async (p, token) => (await import('./lm-bridge')).completeWithVscodeLm(p, token),
  });

  const tree = new MemoryTreeProvider(engine);
  const treeView = vscode.window.createTreeView<MemoryNode>(MEMORY_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(treeView);
  const runView = new RunViewProvider(context.extensionUri, runs);
  const lessonView = new LessonViewProvider(engine);
  watcher = new MemoryWatcher(() => {
    tree.refresh();
    lessonView.refreshAll();
  });

  let review: Promise<DiffReview> | undefined;
  let shownFolder = currentFolder()?.uri.toString();
  s = {
    context,
    log,
    engine,
    runs,
    tree,
    treeView,
    runView,
    lessonView,
    review: () =>
      (review ??= import('./diff-review').then((m) => {
        const r = new m.DiffReview();
        context.subscriptions.push(r);
        return r;
      })),
    alwaysAllowed: () => context.workspaceState.get<string[]>(ALWAYS_ALLOWED_KEY, []),
    allowAlways: async (command) => {
      const list = new Set(context.workspaceState.get<string[]>(ALWAYS_ALLOWED_KEY, []));
      list.add(command);
      await context.workspaceState.update(ALWAYS_ALLOWED_KEY, [...list]);
    },
  };

  for (const cmd of COMMANDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(cmd.id, async (...args: unknown[]) => {
        try {
          return await cmd.run(s, ...args);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          log.error(`${cmd.id}: ${message}`);
          // code that called with an argument object gets the rejection; a person gets a message
          if (isProgrammaticArg(args[0])) throw err;
          void vscode.window.showErrorMessage(message.startsWith('ReasoningBank') ? message : `ReasoningBank: ${message}`);
          return undefined;
        }
      }),
    );
  }

  context.subscriptions.push(
    log,
    runs,
    tree,
    treeView,
    watcher,
    engine,
    runView,
    vscode.window.registerWebviewViewProvider(RUN_VIEW_ID, runView, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, lessonView),
    vscode.workspace.registerTextDocumentContentProvider(TEST_OUTPUT_SCHEME, new TestOutputDocs()),
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, new LessonEditProvider(engine, () => tree.refresh()), { isCaseSensitive: true }),
    createRunStatusBar(runs),
    trackRunContextKeys(runs),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    // in a multi-root workspace the view follows the folder of the active editor
    vscode.window.onDidChangeActiveTextEditor(() => {
      const folder = currentFolder()?.uri.toString();
      if (folder !== shownFolder) {
        shownFolder = folder;
        tree.refresh();
      }
    }),
  );

  void openWalkthroughOnce(context).then(undefined, (err) => log.warn(`walkthrough: ${err instanceof Error ? err.message : String(err)}`));

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms (engine not started)`);
  return {
    activationMs,
    engineRunning: () => engine.running,
    memoryTree: tree,
    runs,
    commandIds: COMMANDS.map((c) => c.id),
  };
}

export function deactivate(): void {
  // disposables (including the engine process) are released through context.subscriptions
}
