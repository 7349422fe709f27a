/** What every command handler gets: the parts built at activation (cheap) and the lazy ones. */
import type * as vscode from 'vscode';
import type { Engine } from './engine-process';
import type { RunController } from './runs';
import type { MemoryNode, MemoryTreeProvider } from './memory-tree';
import type { RunViewProvider } from './run-view';
import type { DiffReview } from './diff-review';
import type { LessonViewProvider } from './memory-docs';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  engine: Engine;
  runs: RunController;
  tree: MemoryTreeProvider;
  treeView: vscode.TreeView<MemoryNode>;
  runView: RunViewProvider;
  lessonView: LessonViewProvider;
  /** created on first review (it loads the diff library) */
  review(): Promise<DiffReview>;
  /** commands the user chose "Always allow this command" for, in this workspace */
  alwaysAllowed(): string[];
  allowAlways(command: string): Promise<void>;
}

export interface CommandDef {
  id: string;
  run(s: Services, ...args: any[]): unknown;
}

/**
 * An argument object from code (tests, keybindings, other extensions) rather than a click: such calls ask
 * nothing and report through their result or rejection. The run view's buttons pass `fromView: true`,
 * which keeps them interactive (messages for the person who clicked).
 */
export function isProgrammaticArg(arg: unknown): arg is Record<string, unknown> {
  return (
    !!arg &&
    typeof arg === 'object' &&
    !Array.isArray(arg) &&
    !('kind' in arg) &&
    !('scheme' in arg) &&
    !(arg as { fromView?: unknown }).fromView &&
    Object.getPrototypeOf(arg) === Object.prototype
  );
}

/** a numeric field of an argument object, from code or from the run view */
export function numberArg(arg: unknown, key: string): number | undefined {
  const v = arg && typeof arg === 'object' ? (arg as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}
