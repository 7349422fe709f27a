import * as vscode from 'vscode';
import type { CommandDef } from '../services';

/** reasoningBank.filterMemory — shows only the lessons matching a query in the memory view. */
export default {
  id: 'reasoningBank.filterMemory',
  async run(s, arg?: unknown) {
    const query =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({ title: 'ReasoningBank: filter the memory bank', value: s.tree.filter ?? '', prompt: 'Empty clears the filter' });
    if (query === undefined) return;
    s.tree.setFilter(query);
  },
} satisfies CommandDef;
