import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { searchRef } from '../memory-ref';

/** reasoningBank.searchMemory — ranked search over the bank; opens the picked lesson. `{query}` returns the hits. */
export default {
  id: 'reasoningBank.searchMemory',
  async run(s, arg?: unknown) {
    const ref = await searchRef(s);
    if (isProgrammaticArg(arg)) {
      if (typeof arg.query !== 'string') throw new Error('ReasoningBank: searchMemory needs {query: string}');
      return s.engine.request('memory/search', { ...ref, query: arg.query, k: typeof arg.k === 'number' ? arg.k : 10 });
    }
    const query = await vscode.window.showInputBox({ title: 'ReasoningBank: search memory', prompt: 'Words from the task or the lesson', ignoreFocusOut: true });
    if (!query?.trim()) return undefined;
    const hits = await s.engine.request('memory/search', { ...ref, query, k: 20 });
    if (!hits.length) {
      void vscode.window.showInformationMessage(`ReasoningBank: no lesson matches "${query}".`);
      return hits;
    }
    const pick = await vscode.window.showQuickPick(
      hits.map((h) => ({ label: h.title, description: `${h.outcome}${h.archived ? ', archived' : ''}`, detail: h.description, id: h.id })),
      { title: `Lessons matching "${query}"`, matchOnDescription: true, matchOnDetail: true },
    );
    if (pick) await vscode.commands.executeCommand('reasoningBank.openMemoryItem', pick.id);
    return hits;
  },
} satisfies CommandDef;
